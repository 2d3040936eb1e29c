package dev.tapline.goproxy.capture;

import dev.tapline.goproxy.relay.ConnectionInfo;

/** Where a connection's tap hands its captures; called on the connection's event loop, must not block. */
public interface CaptureSink {

    /**
     * An exchange starts: false when it cannot be kept (the queue is full), in which case the sink has counted it
     * as dropped and will not be handed it. See {@link ExchangeListener#admit()}.
     */
    default boolean admit() {
        return true;
    }

    /**
     * A captured exchange is about to keep up to {@code bytes} of a body: false when the queue has no room for them,
     * in which case the sink has counted the exchange as dropped and will not be handed it. See
     * {@link ExchangeListener#admitBody(long)}.
     */
    default boolean admitBody(long bytes) {
        return true;
    }

    void http(ConnectionInfo connection, HttpExchangeRecord exchange);

    void http2(ConnectionInfo connection, Http2StreamRecord stream);

    void connection(ConnectionCapture summary);
}
