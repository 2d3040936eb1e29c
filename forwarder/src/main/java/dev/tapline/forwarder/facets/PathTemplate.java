package dev.tapline.forwarder.facets;

import java.util.regex.Pattern;

/**
 * Folds a request path into its endpoint's template, so that {@code /orders/17} and {@code /orders/18} count as
 * one endpoint {@code /orders/{id}}. Each segment between slashes is replaced by {@code {id}} when it is
 *
 * <ul>
 *   <li>a number: digits only ({@code 17}, {@code 2026});</li>
 *   <li>a UUID: 8-4-4-4-12 hex digits, any case;</li>
 *   <li>long hex: 16 or more hex digits ({@code 5f2b8c1d9e3a7b40}, a SHA-1, a Mongo ObjectId of 24);</li>
 *   <li>an opaque id: 20 or more letters, digits, {@code -} or {@code _} with at least one digit (a ULID, a
 *       base64url token).</li>
 * </ul>
 *
 * Everything else stays as it is ({@code v2}, {@code orders}, {@code latest}). The path has no query here.
 */
public final class PathTemplate {
    static final String ID = "{id}";
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern LONG_HEX = Pattern.compile("[0-9a-fA-F]{16,}");
    private static final Pattern OPAQUE = Pattern.compile("(?=[A-Za-z_-]*\\d)[A-Za-z0-9_-]{20,}");

    private PathTemplate() {
    }

    /** The template of a path ({@code null} stays null: a connection record has no path). */
    public static String of(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        int from = 0;
        while (from <= path.length()) {
            int slash = path.indexOf('/', from);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(from, end);
            out.append(isId(segment) ? ID : segment);
            if (slash < 0) {
                break;
            }
            out.append('/');
            from = slash + 1;
        }
        return out.toString();
    }

    static boolean isId(String segment) {
        return !segment.isEmpty() && (NUMBER.matcher(segment).matches() || UUID.matcher(segment).matches()
                || LONG_HEX.matcher(segment).matches() || OPAQUE.matcher(segment).matches());
    }
}
