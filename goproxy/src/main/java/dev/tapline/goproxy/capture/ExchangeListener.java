package dev.tapline.goproxy.capture;

/**
 * Receives what a {@link StreamDecoder} decodes from one connection. Called synchronously on
 * the thread that feeds the sniffer, so implementations must be quick and must not block; an
 * exception thrown by a callback is logged and swallowed, never returned to the relay.
 */
public interface ExchangeListener {

    /**
     * An exchange (an HTTP/1 request head, an HTTP/2 stream) starts: whether to capture it. False means it is
     * dropped now (the capture queue is full) and was counted as dropped by this call: the decoder then only
     * counts its bodies, copies none of their bytes and never hands it over. Deciding at the start spares a
     * capture that would be dropped anyway the copy of its bodies, the record and the encoding.
     */
    default boolean admit() {
        return true;
    }

    /**
     * A captured exchange is about to keep up to {@code bytes} of a body: whether the capture queue has room for
     * them now. False means the exchange is dropped here, counted as dropped by this call: the decoder copies no
     * more of it and never hands it over. {@link #admit} alone cannot tell: a 64 KiB answer admitted while the
     * queue had 1 KiB left would be copied whole, then dropped at its end.
     */
    default boolean admitBody(long bytes) {
        return true;
    }

    /**
     * Whether {@link #onRequest} is wanted for an exchange that {@link #admit} dropped. False spares a dropped
     * exchange its head's strings and the copy of its fields, which nothing else needs (only its framing is).
     */
    default boolean observesDroppedRequests() {
        return true;
    }

    /** A request head is complete (its body may still be arriving); see {@link #observesDroppedRequests}. */
    default void onRequest(long sequence, RequestHead head) {
    }

    /**
     * A final response is complete, body included; {@code response.bodySize()} is the real
     * decoded body length. Not called for responses cut short by a close or by giving up.
     */
    default void onResponse(long sequence, HttpResponseRecord response) {
    }

    /** An exchange is done (or flushed incomplete); exchanges arrive in sequence order. */
    void onExchange(HttpExchangeRecord exchange);

    /** HTTP/2: a stream's request header block was decoded (its body may still be coming). */
    default void onStreamRequest(int streamId, String method, String path) {
    }

    /** HTTP/2: a stream is done (or flushed incomplete): one capture. */
    default void onStream(Http2StreamRecord stream) {
    }

    /** HTTP/2: decoding stops because the connection's decoder would hold more than its memory cap; onGiveUp follows. */
    default void onDecoderMemoryCap() {
    }

    /**
     * Decoding of the connection stopped for good; called at most once, after the open
     * exchanges were flushed with {@link HttpExchangeRecord#decoderGaveUp()} set.
     */
    default void onGiveUp(String reason) {
    }
}
