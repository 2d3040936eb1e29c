package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.HttpSyntax.CR;
import static dev.tapline.goproxy.capture.HttpSyntax.LF;
import static dev.tapline.goproxy.capture.HttpSyntax.SP;

import java.nio.charset.StandardCharsets;

import dev.tapline.goproxy.capture.HttpSyntax;
import dev.tapline.goproxy.capture.RequestHead;
import dev.tapline.goproxy.capture.ResponseHead;

/**
 * Parses the start line of a complete head collected by {@link HeadAccumulator}, and each field line as the
 * accumulator finds it, rejecting what RFC 9112 tells a recipient to reject rather than guessing. Parsing only finds
 * where the parts lie ({@link RequestLine}, {@link StatusLine}, {@link FieldLines}); a {@link RequestHead} or
 * {@link ResponseHead} with its strings and a copy of its fields is made only for an exchange that is captured.
 */
final class HeadParser {

    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String HTTP_1_0 = "HTTP/1.0";
    private static final int VERSION_LENGTH = HTTP_1_1.length();
    /** Shared instances for the usual start-line words, spared a new string per message. */
    private static final String[] COMMON_METHODS = {"GET", "POST", "PUT", "HEAD", "DELETE", "PATCH", "OPTIONS"};
    private static final String[] COMMON_REASONS = {"OK", "Not Modified", "No Content", "Created", "Not Found"};

    private HeadParser() {
    }

    /** request-line = method SP request-target SP HTTP-version (RFC 9112 §3); fills {@code into}, no strings but the version. */
    static void parseRequestLine(byte[] b, int length, RequestLine into) throws HttpDecodeException {
        int lf = lineFeed(b, 0, length);
        int end = contentEnd(b, 0, lf);
        int sp1 = indexOf(b, SP, 0, end);
        if (sp1 <= 0) {
            throw new HttpDecodeException("malformed request line");
        }
        for (int i = 0; i < sp1; i++) {
            if (!HttpSyntax.isTchar(b[i])) {
                throw new HttpDecodeException("invalid character in request method");
            }
        }
        int sp2 = indexOf(b, SP, sp1 + 1, end);
        if (sp2 < 0 || sp2 == sp1 + 1) {
            throw new HttpDecodeException("malformed request line");
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            // obs-text (>= 0x80) is let through: some clients send raw UTF-8 targets.
            if (b[i] >= 0 && !HttpSyntax.isVisible(b[i])) {
                throw new HttpDecodeException("invalid character in request target");
            }
        }
        into.set(sp1, sp2, version(b, sp2 + 1, end));
    }

    /** The request's head as a record, its strings and a copy of its fields made now. */
    static RequestHead requestHead(byte[] b, RequestLine line, FieldLines fields) {
        return new RequestHead(common(b, 0, line.methodEnd(), COMMON_METHODS),
                string(b, line.methodEnd() + 1, line.targetEnd()), line.version(), fields.toList());
    }

    /** status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); fills {@code into}. */
    static void parseStatusLine(byte[] b, int length, StatusLine into) throws HttpDecodeException {
        int lf = lineFeed(b, 0, length);
        int end = contentEnd(b, 0, lf);
        int codeStart = VERSION_LENGTH + 1;
        int codeEnd = codeStart + 3;
        if (end < codeEnd || b[VERSION_LENGTH] != SP) {
            throw new HttpDecodeException("malformed status line");
        }
        String version = version(b, 0, VERSION_LENGTH);
        int status = 0;
        for (int i = codeStart; i < codeEnd; i++) {
            if (!HttpSyntax.isDigit(b[i])) {
                throw new HttpDecodeException("malformed status code");
            }
            status = status * 10 + (b[i] - '0');
        }
        if (status < 100) {
            throw new HttpDecodeException("malformed status code");
        }
        int reasonFrom;
        if (end == codeEnd) {
            // Tolerate a missing SP before an empty reason phrase, as common servers do.
            reasonFrom = end;
        } else if (b[codeEnd] == SP) {
            reasonFrom = codeEnd + 1;
        } else {
            throw new HttpDecodeException("malformed status line");
        }
        into.set(status, reasonFrom, end, version);
    }

    /** The response's head as a record, its reason string and a copy of its fields made now. */
    static ResponseHead responseHead(byte[] b, StatusLine line, FieldLines fields) {
        String reason = line.reasonFrom() == line.reasonTo() ? "" : common(b, line.reasonFrom(), line.reasonTo(), COMMON_REASONS);
        return new ResponseHead(line.status(), reason, line.version(), fields.toList());
    }

    /**
     * field-line = field-name ":" OWS field-value OWS (RFC 9112 §5), {@code b[start, end)} without its line ending;
     * stores name start/end, value start/end at {@code at}.
     */
    static void parseField(byte[] b, int start, int end, int[] offsets, int at) throws HttpDecodeException {
        if (HttpSyntax.isOws(b[start])) {
            // obs-fold, or whitespace before the first field: RFC 9112 §5.2 and §2.2 let a
            // recipient reject it, and guessing the folding is a smuggling risk.
            throw new HttpDecodeException("obsolete line folding in header section");
        }
        int colon = start;
        while (colon < end && HttpSyntax.isTchar(b[colon])) {
            colon++;
        }
        if (colon == end || (b[colon] != ':' && indexOf(b, (byte) ':', colon, end) < 0)) {
            throw new HttpDecodeException("header line without colon");
        }
        if (b[colon] != ':') {
            // RFC 9112 §5.1: whitespace between name and colon must be rejected.
            throw new HttpDecodeException(HttpSyntax.isOws(b[colon])
                    ? "whitespace between header name and colon" : "invalid character in header name");
        }
        if (colon == start) {
            throw new HttpDecodeException("empty header name");
        }
        int valueStart = colon + 1;
        while (valueStart < end && HttpSyntax.isOws(b[valueStart])) {
            valueStart++;
        }
        int valueEnd = end;
        while (valueEnd > valueStart && HttpSyntax.isOws(b[valueEnd - 1])) {
            valueEnd--;
        }
        offsets[at] = start;
        offsets[at + 1] = colon;
        offsets[at + 2] = valueStart;
        offsets[at + 3] = valueEnd;
    }

    private static String version(byte[] b, int from, int to) throws HttpDecodeException {
        if (to - from != VERSION_LENGTH
                || b[from] != 'H' || b[from + 1] != 'T' || b[from + 2] != 'T' || b[from + 3] != 'P'
                || b[from + 4] != '/' || !HttpSyntax.isDigit(b[from + 5]) || b[from + 6] != '.'
                || !HttpSyntax.isDigit(b[from + 7])) {
            throw new HttpDecodeException("malformed HTTP version");
        }
        if (b[from + 5] != '1') {
            throw new HttpDecodeException("unsupported HTTP version " + string(b, from, to));
        }
        return switch (b[from + 7]) {
            case '1' -> HTTP_1_1;
            case '0' -> HTTP_1_0;
            default -> string(b, from, to);
        };
    }

    /**
     * The LF ending the line that starts at {@code from}. A CR anywhere but right before it, or a NUL, makes the
     * message invalid (RFC 9110 §5.5, RFC 9112 §2.2): checked in the same pass.
     */
    private static int lineFeed(byte[] b, int from, int length) throws HttpDecodeException {
        int i = LineBytes.nextLineByte(b, from, length);
        if (i == length) {
            throw new HttpDecodeException("unterminated header section");
        }
        byte c = b[i];
        if (c == LF) {
            return i;
        }
        if (c == CR) {
            if (i + 1 == length || b[i + 1] != LF) {
                throw new HttpDecodeException("bare CR in header section");
            }
            return i + 1;
        }
        throw new HttpDecodeException("NUL in header section");
    }

    /** End of a line's content: before its LF and an optional CR (already checked by {@link #lineFeed}). */
    private static int contentEnd(byte[] b, int start, int lf) {
        return lf > start && b[lf - 1] == CR ? lf - 1 : lf;
    }

    private static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** The one of {@code known} equal to the bytes (case-sensitive), else a new string of them. */
    private static String common(byte[] b, int from, int to, String[] known) {
        for (String candidate : known) {
            if (equalsAscii(b, from, to, candidate)) {
                return candidate;
            }
        }
        return string(b, from, to);
    }

    private static boolean equalsAscii(byte[] b, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (b[i] != s.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    private static String string(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
