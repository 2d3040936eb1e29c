package dev.tapline.forwarder.ingest;

/**
 * The two pieces of HTTP syntax the validator checks on every record, by hand: the regular expressions they
 * replace ({@code [!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}} and {@code HTTP/\d(\.\d)?}) cost more than half of the
 * preparing threads' time, run on each of a capture's ten or so header names.
 */
final class HttpSyntax {
    private static final int MAX_TOKEN_LENGTH = 64;
    // RFC 9110 section 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`"
    //                                 / "|" / "~" / DIGIT / ALPHA
    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toLowerCase(c)] = true;
        }
    }

    private HttpSyntax() {
    }

    /** A token of 1 to 64 tchars: a method or a header name (RFC 9110 section 5.6.2; the length is our bound). */
    static boolean isToken(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= TCHAR.length || !TCHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** {@code HTTP/} and one digit, optionally followed by a dot and one digit: "HTTP/1.1", "HTTP/2". */
    static boolean isVersion(String s) {
        return (s.length() == 6 || s.length() == 8 && s.charAt(6) == '.' && isDigit(s.charAt(7)))
                && s.startsWith("HTTP/") && isDigit(s.charAt(5));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
