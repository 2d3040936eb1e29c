package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Guesses a connection's protocol from the first bytes the client sent, deciding as early as
 * the bytes allow. Stateless: the caller accumulates the first bytes and calls again with the
 * longer prefix while the answer is {@link Detection#NEED_MORE}.
 */
public final class ProtocolDetector {

    /** Once this many bytes are seen without a decision, the connection is treated as TCP. */
    public static final int MAX_PEEK_BYTES = 64;

    /** Longest method token accepted as the start of an HTTP/1 request line. */
    public static final int MAX_METHOD_LENGTH = 32;

    private static final byte[] HTTP2_PREFACE =
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte TLS_HANDSHAKE = 0x16;
    private static final byte TLS_MAJOR_VERSION = 0x03;
    private static final byte TLS_MAX_MINOR_VERSION = 0x04;

    private ProtocolDetector() {
    }

    /**
     * Inspects the bytes between {@code firstBytes}' position and limit (at most
     * {@link #MAX_PEEK_BYTES} of them) without changing the buffer's position.
     *
     * @param firstBytes the first bytes the client sent, from the start of the connection
     * @return the decided protocol, or {@link Detection#NEED_MORE}
     */
    public static Detection detect(ByteBuffer firstBytes) {
        int start = firstBytes.position();
        int available = Math.min(firstBytes.remaining(), MAX_PEEK_BYTES);
        Detection detection = decide(firstBytes, start, available);
        if (detection == Detection.NEED_MORE && available >= MAX_PEEK_BYTES) {
            return Detection.TCP;
        }
        return detection;
    }

    /** Length of an HTTP/2 frame header (RFC 9113 §4.1). */
    public static final int HTTP2_FRAME_HEADER_LENGTH = 9;

    /**
     * Whether the first bytes an app sent, before the client said anything, can be an HTTP/2 server's connection
     * preface: a SETTINGS frame (type 4) on stream 0 without the ACK flag (RFC 9113 §3.4). An h2c server may send
     * it as soon as it accepts, so it can overtake the client's preface.
     *
     * @param appBytes at least {@link #HTTP2_FRAME_HEADER_LENGTH} bytes from the start of the app's side
     */
    public static boolean isHttp2ServerPreface(ByteBuffer appBytes) {
        int p = appBytes.position();
        return appBytes.remaining() >= HTTP2_FRAME_HEADER_LENGTH && appBytes.get(p + 3) == 0x04
                && appBytes.get(p + 4) == 0 && appBytes.getInt(p + 5) == 0 && (appBytes.get(p + 2) & 0xFF) % 6 == 0
                && appBytes.get(p) == 0 && appBytes.get(p + 1) == 0;
    }

    private static Detection decide(ByteBuffer buf, int start, int available) {
        if (available == 0) {
            return Detection.NEED_MORE;
        }
        // "PRI * HTTP/2.0" is also a well-formed HTTP/1 request line, so the preface is
        // checked first and wins while the bytes can still become the whole preface.
        int compared = Math.min(available, HTTP2_PREFACE.length);
        if (matchesPreface(buf, start, compared)) {
            return compared == HTTP2_PREFACE.length ? Detection.HTTP2 : Detection.NEED_MORE;
        }
        if (buf.get(start) == TLS_HANDSHAKE) {
            return detectTls(buf, start, available);
        }
        return detectHttp1(buf, start, available);
    }

    private static boolean matchesPreface(ByteBuffer buf, int start, int length) {
        for (int i = 0; i < length; i++) {
            if (buf.get(start + i) != HTTP2_PREFACE[i]) {
                return false;
            }
        }
        return true;
    }

    private static Detection detectTls(ByteBuffer buf, int start, int available) {
        if (available < 2) {
            return Detection.NEED_MORE;
        }
        if (buf.get(start + 1) != TLS_MAJOR_VERSION) {
            return Detection.TCP;
        }
        if (available < 3) {
            return Detection.NEED_MORE;
        }
        int minor = buf.get(start + 2);
        return minor >= 0 && minor <= TLS_MAX_MINOR_VERSION ? Detection.TLS : Detection.TCP;
    }

    /** A request line starts with a method token, one SP, then the request target (RFC 9112 §3). */
    private static Detection detectHttp1(ByteBuffer buf, int start, int available) {
        for (int i = 0; i < available; i++) {
            byte b = buf.get(start + i);
            if (HttpSyntax.isTchar(b)) {
                if (i >= MAX_METHOD_LENGTH) {
                    return Detection.TCP;
                }
            } else if (b == ' ' && i > 0) {
                if (i + 1 >= available) {
                    return Detection.NEED_MORE;
                }
                return HttpSyntax.isVisible(buf.get(start + i + 1)) ? Detection.HTTP1 : Detection.TCP;
            } else {
                return Detection.TCP;
            }
        }
        return Detection.NEED_MORE;
    }
}
