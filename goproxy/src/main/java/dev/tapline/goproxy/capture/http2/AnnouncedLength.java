package dev.tapline.goproxy.capture.http2;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * The body length a header block announces in {@code content-length}, read as a hint only: it sizes the array a
 * body is kept in (at most the body cap), never decides where a body ends (END_STREAM does, RFC 9113 §8.1.1).
 */
final class AnnouncedLength {
    /** Up to 18 digits: more would overflow a long, and no body kept under a cap of 4 MiB needs them. */
    private static final int MAX_DIGITS = 18;

    private AnnouncedLength() {
    }

    /** The first {@code content-length} field's value, or -1 when there is none or it is not plain digits. */
    static long of(Http2Headers headers) {
        CharSequence value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null || value.length() == 0 || value.length() > MAX_DIGITS) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }
}
