package dev.tapline.goproxy.capture.http2;

/**
 * Receives what an {@link Http2Decoder} makes of one connection, on the thread that feeds it; must be quick and
 * must not block.
 */
public interface Http2StreamListener {

    /** A request's header block was decoded (its body may still be coming). */
    default void onRequest(int streamId, String method, String path) {
    }

    /** A stream is done (or flushed incomplete): one capture. */
    void onStream(Http2StreamRecord stream);

    /** Decoding of the connection stopped for good (called once, after the open streams were flushed). */
    default void onGiveUp(String reason) {
    }
}
