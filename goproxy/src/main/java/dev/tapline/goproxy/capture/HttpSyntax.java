package dev.tapline.goproxy.capture;

/**
 * Byte-level character classes of the HTTP grammar (RFC 9110 §5.6, RFC 9112 §2), shared by the
 * detector and the decoder. Table lookups keep the per-byte scans branch-light.
 */
public final class HttpSyntax {

    public static final byte CR = '\r';
    public static final byte LF = '\n';
    public static final byte SP = ' ';
    public static final byte HTAB = '\t';

    /** tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
    private static final boolean[] TCHAR = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[Character.toUpperCase(c)] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private HttpSyntax() {
    }

    public static boolean isTchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    /** VCHAR: visible US-ASCII, i.e. neither a control character, SP nor DEL. */
    public static boolean isVisible(byte b) {
        return b > 0x20 && b < 0x7F;
    }

    /** Optional whitespace, OWS = *( SP / HTAB ). */
    public static boolean isOws(byte b) {
        return b == SP || b == HTAB;
    }

    public static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** Value of a hexadecimal digit, or -1 when {@code b} is not one. */
    public static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
