package dev.tapline.goproxy.support;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.tapline.goproxy.capture.CaptureSink;
import dev.tapline.goproxy.capture.ConnectionCapture;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.relay.ConnectionInfo;

/** A sink for connections that speak HTTP/2 only: keeps stream captures and connection summaries, fails on HTTP/1. */
public final class Http2OnlySink implements CaptureSink {
    private final Queue<Http2StreamRecord> streams = new ConcurrentLinkedQueue<>();
    private final Queue<ConnectionCapture> connections = new ConcurrentLinkedQueue<>();

    /** The stream captures so far, in the order they were handed over. */
    public Queue<Http2StreamRecord> streams() {
        return streams;
    }

    /** The connection summaries so far. */
    public Queue<ConnectionCapture> connections() {
        return connections;
    }

    @Override
    public void http(ConnectionInfo connection, HttpExchangeRecord exchange) {
        throw new AssertionError("an HTTP/1 exchange on an HTTP/2 connection: " + exchange);
    }

    @Override
    public void http2(ConnectionInfo connection, Http2StreamRecord stream) {
        streams.add(stream);
    }

    @Override
    public void connection(ConnectionCapture summary) {
        connections.add(summary);
    }
}
