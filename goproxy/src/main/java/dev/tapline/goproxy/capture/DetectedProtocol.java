package dev.tapline.goproxy.capture;

/**
 * The application protocol a proxied connection speaks, as guessed by {@link ProtocolDetector}
 * from the first bytes the client sends.
 */
public enum DetectedProtocol {
    /** HTTP/1.0 or HTTP/1.1 in clear text: decoded by {@code capture.http1.HttpSniffer}. */
    HTTP1,
    /** HTTP/2 with prior knowledge (the connection starts with the client preface). */
    HTTP2,
    /** A TLS record layer: the bytes are encrypted and cannot be decoded. */
    TLS,
    /** Anything else: relayed as opaque TCP. */
    TCP
}
