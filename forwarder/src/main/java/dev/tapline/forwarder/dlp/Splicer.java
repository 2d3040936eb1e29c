package dev.tapline.forwarder.dlp;

/**
 * Builds a copy of a text with some ranges replaced, allocating only at the first replacement so
 * that the common "nothing to redact" path returns the original instance.
 */
final class Splicer {

    private final String source;
    private StringBuilder out;
    private int copied;

    Splicer(String source) {
        this.source = source;
    }

    /**
     * Replaces {@code [start, end)}; ranges must be given in increasing order. A range that overlaps
     * the previous one is clipped to start where it ended.
     */
    void replace(int start, int end, String replacement) {
        if (out == null) {
            out = new StringBuilder(source.length() + 80);
        }
        out.append(source, copied, Math.max(start, copied)).append(replacement);
        copied = Math.max(end, copied);
    }

    boolean changed() {
        return out != null;
    }

    /** Returns the spliced text, or the source instance itself when nothing was replaced. */
    String result() {
        if (out == null) {
            return source;
        }
        return out.append(source, copied, source.length()).toString();
    }
}
