package dev.tapline.common.config;

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

    /** The table that follows {@code heading} (e.g. "### goproxy") in a Markdown text; empty when there is none. */
    public static String tableAfter(String markdown, String heading) {
        int at = markdown.indexOf("\n" + heading + "\n");
        if (at < 0) {
            return "";
        }
        StringBuilder table = new StringBuilder();
        boolean inTable = false;
        for (String line : markdown.substring(at + heading.length() + 2).split("\n", -1)) {
            if (line.startsWith("|")) {
                inTable = true;
                table.append(line).append('\n');
            } else if (inTable || line.startsWith("#")) {
                break;
            }
        }
        return table.toString();
    }
}
