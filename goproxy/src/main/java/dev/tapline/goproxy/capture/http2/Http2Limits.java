package dev.tapline.goproxy.capture.http2;

/**
 * Memory bounds of one connection's {@link Http2Decoder}.
 *
 * @param bodyCap            body bytes kept per message (CAPTURE_BODY_BYTES)
 * @param maxHeaderListBytes most bytes of one decoded header block
 * @param connectionBytes    most bytes the decoder holds for the connection at once (CAPTURE_H2_CONNECTION_BYTES):
 *                           kept body bytes and header fields of its open streams, and a frame cut by a read
 */
public record Http2Limits(int bodyCap, long maxHeaderListBytes, long connectionBytes) {
    /** 16 MiB: 100 concurrent streams with 64 KiB kept each way and their headers fit. */
    public static final long DEFAULT_CONNECTION_BYTES = 16L << 20;

    /** The default per-connection bound. */
    public Http2Limits(int bodyCap, long maxHeaderListBytes) {
        this(bodyCap, maxHeaderListBytes, DEFAULT_CONNECTION_BYTES);
    }
}
