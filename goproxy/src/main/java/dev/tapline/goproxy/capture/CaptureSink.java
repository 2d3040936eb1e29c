package dev.tapline.goproxy.capture;

import dev.tapline.goproxy.relay.ConnectionInfo;

/** Where a connection's tap hands its captures; called on the connection's event loop, must not block. */
public interface CaptureSink {

    void http(ConnectionInfo connection, HttpExchangeRecord exchange);

    void http2(ConnectionInfo connection, Http2StreamRecord stream);

    void connection(ConnectionCapture summary);
}
