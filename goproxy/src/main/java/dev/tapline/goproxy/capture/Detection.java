package dev.tapline.goproxy.capture;

/**
 * Outcome of one {@link ProtocolDetector#detect} call: either a decided protocol or
 * {@link #NEED_MORE}, meaning the caller should call again once more bytes have arrived.
 */
public enum Detection {
    NEED_MORE(null),
    HTTP1(DetectedProtocol.HTTP1),
    HTTP2(DetectedProtocol.HTTP2),
    TLS(DetectedProtocol.TLS),
    TCP(DetectedProtocol.TCP);

    private final DetectedProtocol protocol;

    Detection(DetectedProtocol protocol) {
        this.protocol = protocol;
    }

    /** The decided protocol, or {@code null} for {@link #NEED_MORE}. */
    public DetectedProtocol protocol() {
        return protocol;
    }

    /** Whether a protocol has been decided; {@code false} only for {@link #NEED_MORE}. */
    public boolean isDecided() {
        return protocol != null;
    }
}
