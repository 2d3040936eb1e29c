package dev.tapline.deploy.image;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shell commands of a Markdown document as a user copies them: the first fenced block under a heading. */
final class MarkdownCommands {
    private static final Pattern FENCE = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL);

    private MarkdownCommands() {
    }

    /** The first fenced code block after the line {@code heading} (e.g. "## The forwarder"). */
    static String blockUnder(String markdown, String heading) {
        int at = markdown.indexOf("\n" + heading + "\n");
        if (at < 0) {
            throw new AssertionError("no heading '" + heading + "'");
        }
        Matcher block = FENCE.matcher(markdown);
        if (!block.find(at)) {
            throw new AssertionError("no code block under '" + heading + "'");
        }
        return block.group(1);
    }
}
