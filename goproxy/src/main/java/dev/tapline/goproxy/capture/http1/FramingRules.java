package dev.tapline.goproxy.capture.http1;

import dev.tapline.goproxy.capture.HeaderBlock;

/**
 * Decides how a message body is delimited from its header fields, following the precedence
 * of RFC 9112 §6.3. Status- and method-dependent rules (HEAD, 1xx, 204, 304, CONNECT) are
 * applied by the caller before asking for a response's framing. Reads the fields' bytes where they were received
 * (no string per value): each byte stands for one ISO-8859-1 char, as the fields' strings decode them.
 */
final class FramingRules {

    private static final String TRANSFER_ENCODING = "Transfer-Encoding";
    private static final String CONTENT_LENGTH = "Content-Length";
    private static final String CHUNKED = "chunked";

    /** 18 decimal digits always fit in a long. */
    private static final int MAX_LENGTH_DIGITS = 18;

    private FramingRules() {
    }

    /**
     * Requests ({@link Framing}): chunked when Transfer-Encoding ends in chunked, else Content-Length, else no body.
     * A request's body cannot be delimited by a close, so any other Transfer-Encoding is fatal
     * (RFC 9112 §6.3 item 4).
     */
    static long forRequest(FieldLines headers) throws HttpDecodeException {
        Boolean chunkedLast = transferEncodingEndsInChunked(headers);
        if (chunkedLast != null) {
            if (!chunkedLast) {
                throw new HttpDecodeException("request Transfer-Encoding does not end in chunked");
            }
            return Framing.CHUNKED;
        }
        long length = contentLength(headers);
        return length < 0 ? Framing.NONE : Framing.length(length);
    }

    /**
     * Responses that may have a body: chunked when Transfer-Encoding ends in chunked, read until
     * close for any other Transfer-Encoding, else Content-Length, else until close.
     */
    static long forResponse(FieldLines headers) throws HttpDecodeException {
        Boolean chunkedLast = transferEncodingEndsInChunked(headers);
        if (chunkedLast != null) {
            // Transfer-Encoding overrides Content-Length (RFC 9112 §6.3 item 3).
            return chunkedLast ? Framing.CHUNKED : Framing.UNTIL_CLOSE;
        }
        long length = contentLength(headers);
        return length < 0 ? Framing.UNTIL_CLOSE : Framing.length(length);
    }

    /**
     * Whether the last transfer coding, over all Transfer-Encoding fields in order, is chunked;
     * {@code null} when there is no Transfer-Encoding field. A coding is a list element up to its parameters,
     * surrounding whitespace ignored; empty elements are skipped.
     */
    static Boolean transferEncodingEndsInChunked(FieldLines headers) {
        if (!headers.hasTransferEncoding()) {
            return null;
        }
        byte[] b = headers.bytes();
        int lastFrom = -1;
        int lastTo = -1;
        boolean present = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (!headers.nameIs(i, TRANSFER_ENCODING)) {
                continue;
            }
            present = true;
            int valueTo = headers.valueTo(i);
            for (int start = headers.valueFrom(i); start <= valueTo; ) {
                int end = indexOf(b, (byte) ',', start, valueTo);
                int params = indexOf(b, (byte) ';', start, end);
                int from = skipSpace(b, start, params);
                int to = trimSpace(b, from, params);
                if (from < to) {
                    lastFrom = from;
                    lastTo = to;
                }
                start = end + 1;
            }
        }
        if (!present) {
            return null;
        }
        return lastFrom >= 0 && HeaderBlock.equalsIgnoreAsciiCase(b, lastFrom, lastTo, CHUNKED);
    }

    /**
     * The Content-Length, or -1 when absent. Several fields or list elements are accepted when
     * they all carry the same value (RFC 9110 §8.6); anything else is an unrecoverable framing
     * error (RFC 9112 §6.3 item 5).
     */
    static long contentLength(FieldLines headers) throws HttpDecodeException {
        if (!headers.hasContentLength()) {
            return -1;
        }
        byte[] b = headers.bytes();
        long length = -1;
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (!headers.nameIs(i, CONTENT_LENGTH)) {
                continue;
            }
            int valueTo = headers.valueTo(i);
            for (int start = headers.valueFrom(i); start <= valueTo; ) {
                int end = indexOf(b, (byte) ',', start, valueTo);
                long element = parseLength(b, start, end);
                if (length >= 0 && element != length) {
                    throw new HttpDecodeException("conflicting Content-Length values");
                }
                length = element;
                start = end + 1;
            }
        }
        return length;
    }

    /** One list element {@code b[from, to)}, surrounding whitespace (chars up to SP, as String.trim sees it) ignored. */
    private static long parseLength(byte[] b, int from, int to) throws HttpDecodeException {
        from = skipSpace(b, from, to);
        to = trimSpace(b, from, to);
        if (from == to || to - from > MAX_LENGTH_DIGITS) {
            throw new HttpDecodeException("invalid Content-Length");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c < '0' || c > '9') {
                throw new HttpDecodeException("invalid Content-Length");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** First index in {@code [from, to)} holding {@code value}, else {@code to}. */
    private static int indexOf(byte[] b, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return to;
    }

    /** Skips chars up to SP (a byte 0x00-0x20 read as ISO-8859-1, what String.trim removes). */
    private static int skipSpace(byte[] b, int from, int to) {
        while (from < to && (b[from] & 0xFF) <= ' ') {
            from++;
        }
        return from;
    }

    private static int trimSpace(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] & 0xFF) <= ' ') {
            to--;
        }
        return to;
    }
}
