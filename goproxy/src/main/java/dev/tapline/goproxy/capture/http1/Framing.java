package dev.tapline.goproxy.capture.http1;

/**
 * How the body that follows a head is delimited (RFC 9112 §6.3), as decided for one message: a {@code long} that is
 * either the body's length (0: no body, the message is complete with its head) or one of the negative codes below.
 *
 * <p>Why not an object: a head is decided on every message, dropped ones included, and a record holding a length
 * was the one allocation left on a dropped exchange's path (the JIT could not scalar-replace it across the reader's
 * handler call).
 */
final class Framing {

    /** The message has no body and is complete with its head. */
    static final long NONE = 0;
    /** A chunked body follows, ending with the last chunk and a trailer section. */
    static final long CHUNKED = -1;
    /** The body runs until the sender closes its side (responses only). */
    static final long UNTIL_CLOSE = -2;
    /** The head was all of a message that needs no further handling (an interim 1xx). */
    static final long HEAD_ONLY = -3;

    private Framing() {
    }

    /** Content-Length bytes follow (none when 0). */
    static long length(long length) {
        return length;
    }
}
