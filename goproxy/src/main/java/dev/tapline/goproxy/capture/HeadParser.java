package dev.tapline.goproxy.capture;

import static dev.tapline.goproxy.capture.HttpSyntax.CR;
import static dev.tapline.goproxy.capture.HttpSyntax.LF;
import static dev.tapline.goproxy.capture.HttpSyntax.SP;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a complete head collected by {@link HeadAccumulator} into a {@link RequestHead},
 * {@link ResponseHead} or trailer list, rejecting what RFC 9112 tells a recipient to reject
 * rather than guessing. Strings are created only for the fields that are kept.
 */
final class HeadParser {

    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String HTTP_1_0 = "HTTP/1.0";
    private static final int VERSION_LENGTH = HTTP_1_1.length();

    private HeadParser() {
    }

    /** request-line = method SP request-target SP HTTP-version (RFC 9112 §3). */
    static RequestHead parseRequest(byte[] b, int length, int maxHeaders) throws HttpDecodeException {
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
        String version = version(b, sp2 + 1, end);
        List<HttpHeader> headers = parseFields(b, lf + 1, length, maxHeaders);
        return new RequestHead(string(b, 0, sp1), string(b, sp1 + 1, sp2), version, headers);
    }

    /** status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4). */
    static ResponseHead parseResponse(byte[] b, int length, int maxHeaders) throws HttpDecodeException {
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
        String reason;
        if (end == codeEnd) {
            // Tolerate a missing SP before an empty reason phrase, as common servers do.
            reason = "";
        } else if (b[codeEnd] == SP) {
            reason = string(b, codeEnd + 1, end);
        } else {
            throw new HttpDecodeException("malformed status line");
        }
        List<HttpHeader> headers = parseFields(b, lf + 1, length, maxHeaders);
        return new ResponseHead(status, reason, version, headers);
    }

    /** Parses field lines from {@code from} up to the empty line ending the section (RFC 9112 §5). */
    static List<HttpHeader> parseFields(byte[] b, int from, int length, int maxHeaders) throws HttpDecodeException {
        List<HttpHeader> fields = new ArrayList<>();
        int pos = from;
        while (true) {
            int lf = lineFeed(b, pos, length);
            int end = contentEnd(b, pos, lf);
            if (end == pos) {
                return fields;
            }
            if (fields.size() == maxHeaders) {
                throw new HttpDecodeException("more than " + maxHeaders + " header fields");
            }
            fields.add(parseField(b, pos, end));
            pos = lf + 1;
        }
    }

    /** field-line = field-name ":" OWS field-value OWS */
    private static HttpHeader parseField(byte[] b, int start, int end) throws HttpDecodeException {
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
        return new HttpHeader(string(b, start, colon), string(b, valueStart, valueEnd));
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

    private static int lineFeed(byte[] b, int from, int length) throws HttpDecodeException {
        int lf = indexOf(b, LF, from, length);
        if (lf < 0) {
            throw new HttpDecodeException("unterminated header section");
        }
        return lf;
    }

    /** End of a line's content: before its LF and an optional CR; any other CR or a NUL is invalid. */
    private static int contentEnd(byte[] b, int start, int lf) throws HttpDecodeException {
        int end = lf > start && b[lf - 1] == CR ? lf - 1 : lf;
        for (int i = start; i < end; i++) {
            if (b[i] == CR || b[i] == 0) {
                // RFC 9110 §5.5 / RFC 9112 §2.2: bare CR and NUL make a message invalid.
                throw new HttpDecodeException(b[i] == CR ? "bare CR in header section" : "NUL in header section");
            }
        }
        return end;
    }

    private static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String string(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
