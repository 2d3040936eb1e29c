package dev.tapline.goproxy.capture.http1;

import java.util.List;

import dev.tapline.goproxy.capture.HeaderBlock;
import dev.tapline.goproxy.capture.HttpHeader;

/**
 * Decides how a message body is delimited from its header fields, following the precedence
 * of RFC 9112 §6.3. Status- and method-dependent rules (HEAD, 1xx, 204, 304, CONNECT) are
 * applied by the caller before asking for a response's framing.
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
     * Requests: chunked when Transfer-Encoding ends in chunked, else Content-Length, else no body.
     * A request's body cannot be delimited by a close, so any other Transfer-Encoding is fatal
     * (RFC 9112 §6.3 item 4).
     */
    static Framing forRequest(List<HttpHeader> headers) throws HttpDecodeException {
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
    static Framing forResponse(List<HttpHeader> headers) throws HttpDecodeException {
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
     * {@code null} when there is no Transfer-Encoding field.
     */
    static Boolean transferEncodingEndsInChunked(List<HttpHeader> headers) {
        String last = null;
        boolean present = false;
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (!HeaderBlock.nameIs(headers, i, TRANSFER_ENCODING)) {
                continue;
            }
            present = true;
            String value = HeaderBlock.value(headers, i);
            for (int start = 0; start <= value.length(); ) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                int params = value.indexOf(';', start);
                String coding = value.substring(start, params >= 0 && params < end ? params : end).trim();
                if (!coding.isEmpty()) {
                    last = coding;
                }
                start = end + 1;
            }
        }
        if (!present) {
            return null;
        }
        return CHUNKED.equalsIgnoreCase(last);
    }

    /**
     * The Content-Length, or -1 when absent. Several fields or list elements are accepted when
     * they all carry the same value (RFC 9110 §8.6); anything else is an unrecoverable framing
     * error (RFC 9112 §6.3 item 5).
     */
    static long contentLength(List<HttpHeader> headers) throws HttpDecodeException {
        long length = -1;
        for (int i = 0, n = headers.size(); i < n; i++) {
            if (!HeaderBlock.nameIs(headers, i, CONTENT_LENGTH)) {
                continue;
            }
            String value = HeaderBlock.value(headers, i);
            for (int start = 0; start <= value.length(); ) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                long element = parseLength(value, start, end);
                if (length >= 0 && element != length) {
                    throw new HttpDecodeException("conflicting Content-Length values");
                }
                length = element;
                start = end + 1;
            }
        }
        return length;
    }

    /** One list element {@code s[from, to)}, surrounding whitespace (as String.trim sees it) ignored. */
    private static long parseLength(String s, int from, int to) throws HttpDecodeException {
        while (from < to && s.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        if (from == to || to - from > MAX_LENGTH_DIGITS) {
            throw new HttpDecodeException("invalid Content-Length");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpDecodeException("invalid Content-Length");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
