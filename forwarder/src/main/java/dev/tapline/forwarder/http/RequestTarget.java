package dev.tapline.forwarder.http;

/** The parts of an HTTP request-target (RFC 9112 section 3.2) the forwarder indexes and shows. */
public final class RequestTarget {
    private RequestTarget() {
    }

    /**
     * The path without query or fragment: {@code /a/b} for {@code /a/b?x=1} and for {@code http://host/a/b?x=1},
     * {@code /} for {@code http://host}; the authority form ({@code host:443}) and {@code *} are kept as they are.
     */
    public static String path(String target) {
        String t = target;
        int scheme = t.indexOf("://");
        if (!t.startsWith("/") && scheme > 0) {
            int slash = t.indexOf('/', scheme + 3);
            int query = t.indexOf('?', scheme + 3);
            if (slash < 0 || (query >= 0 && query < slash)) {
                return "/";
            }
            t = t.substring(slash);
        }
        int end = t.length();
        int q = t.indexOf('?');
        int f = t.indexOf('#');
        if (q >= 0) {
            end = q;
        }
        if (f >= 0 && f < end) {
            end = f;
        }
        return t.substring(0, end);
    }

    /** The query without the {@code ?}, or "" when there is none. */
    public static String query(String target) {
        int q = target.indexOf('?');
        if (q < 0) {
            return "";
        }
        int f = target.indexOf('#', q);
        return target.substring(q + 1, f < 0 ? target.length() : f);
    }

    /** Whether the target is in absolute form ({@code http://host/path}). */
    public static boolean isAbsolute(String target) {
        return !target.startsWith("/") && target.indexOf("://") > 0;
    }
}
