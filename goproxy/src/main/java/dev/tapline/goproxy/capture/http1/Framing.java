package dev.tapline.goproxy.capture.http1;

/**
 * How the body that follows a head is delimited (RFC 9112 §6.3), as decided for one message.
 *
 * @param kind   the delimiting rule
 * @param length the body length for {@link Kind#LENGTH}, otherwise 0
 */
record Framing(Kind kind, long length) {

    enum Kind {
        /** The head was all of a message that needs no further handling (an interim 1xx). */
        HEAD_ONLY,
        /** The message has no body and is complete with its head. */
        NONE,
        /** Content-Length bytes follow. */
        LENGTH,
        /** A chunked body follows, ending with the last chunk and a trailer section. */
        CHUNKED,
        /** The body runs until the sender closes its side (responses only). */
        UNTIL_CLOSE
    }

    static final Framing HEAD_ONLY = new Framing(Kind.HEAD_ONLY, 0);
    static final Framing NONE = new Framing(Kind.NONE, 0);
    static final Framing CHUNKED = new Framing(Kind.CHUNKED, 0);
    static final Framing UNTIL_CLOSE = new Framing(Kind.UNTIL_CLOSE, 0);

    static Framing length(long length) {
        return length == 0 ? NONE : new Framing(Kind.LENGTH, length);
    }
}
