package dev.tapline.common.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** README's table of an app's variables, written from their declarations (a test keeps README in step). */
public final class SettingsTable {
    private SettingsTable() {
    }

    public static String markdown(List<Setting> settings) {
        StringBuilder table = new StringBuilder("| variable | default | meaning |\n|---|---|---|\n");
        for (Setting s : settings) {
            table.append("| `").append(s.env()).append("` | ").append(s.defaultColumn()).append(" | ")
                    .append(s.doc()).append(" |\n");
        }
        return table.toString();
    }

    /** README's table of an app's tuning knobs, written from their declarations. */
    public static String tuningMarkdown(List<Tuning> knobs) {
        StringBuilder table = new StringBuilder("| key | default | allowed | meaning |\n|---|---|---|---|\n");
        for (Tuning t : knobs) {
            table.append("| `").append(t.key()).append("` | `").append(t.defaultValue()).append("` | ")
                    .append(t.allowed()).append(" | ").append(t.doc()).append(" |\n");
        }
        return table.toString();
    }

    /**
     * README's table after {@code heading} as it is, after writing the declarations' table into it when the system
     * property {@code tapline.write-readme} is true (the README tests then regenerate the tables:
     * {@code ./mvnw -B -pl goproxy,forwarder -am test -Dtest='*SettingsTest' -Dtapline.write-readme=true
     * -Dsurefire.failIfNoSpecifiedTests=false}).
     */
    public static String readmeTable(Path readme, String heading, List<Setting> settings) throws IOException {
        return readmeTable(readme, heading, markdown(settings));
    }

    /** As {@link #readmeTable(Path, String, List)}, for a table already written ({@link #tuningMarkdown}). */
    public static String readmeTable(Path readme, String heading, String table) throws IOException {
        String text = Files.readString(readme);
        if (Boolean.getBoolean("tapline.write-readme")) {
            text = replaceTableAfter(text, heading, table);
            Files.writeString(readme, text);
        }
        return tableAfter(text, heading);
    }

    /** The table that follows {@code heading} (e.g. "### goproxy") in a Markdown text; empty when there is none. */
    public static String tableAfter(String markdown, String heading) {
        int[] at = tableBounds(markdown, heading);
        return at == null ? "" : markdown.substring(at[0], at[1]);
    }

    /** The Markdown text with the table after {@code heading} replaced by {@code table}. */
    public static String replaceTableAfter(String markdown, String heading, String table) {
        int[] at = tableBounds(markdown, heading);
        if (at == null) {
            throw new IllegalArgumentException("no table after " + heading);
        }
        return markdown.substring(0, at[0]) + table + markdown.substring(at[1]);
    }

    /** Start and end (after its last line's newline) of the first table after the heading, before the next one. */
    private static int[] tableBounds(String markdown, String heading) {
        int at = markdown.indexOf("\n" + heading + "\n");
        if (at < 0) {
            return null;
        }
        int line = at + heading.length() + 2;
        int start = -1;
        while (line < markdown.length()) {
            int end = markdown.indexOf('\n', line);
            end = end < 0 ? markdown.length() : end + 1;
            boolean row = markdown.startsWith("|", line);
            if (row && start < 0) {
                start = line;
            } else if (!row && (start >= 0 || markdown.startsWith("#", line))) {
                break;
            }
            line = end;
        }
        return start < 0 ? null : new int[] {start, line};
    }
}
