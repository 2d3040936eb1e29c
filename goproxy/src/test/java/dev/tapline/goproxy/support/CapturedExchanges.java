package dev.tapline.goproxy.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.tapline.goproxy.capture.CaptureSink;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.CaptureTaps;
import dev.tapline.goproxy.capture.ConnectionCapture;
import dev.tapline.goproxy.capture.DetectedProtocol;
import dev.tapline.goproxy.capture.H2cUpgrade;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.http1.HttpSniffer;
import dev.tapline.goproxy.capture.http1.SnifferLimits;
import dev.tapline.goproxy.capture.http2.Http2Decoder;
import dev.tapline.goproxy.capture.http2.Http2Limits;
import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.TapFactory;

/** The real capture taps (HTTP/1 and HTTP/2 decoders) with a sink that keeps every capture, with its connection. */
public final class CapturedExchanges implements CaptureSink {
    public record Http(ConnectionInfo connection, HttpExchangeRecord exchange) {
    }

    public record Http2(ConnectionInfo connection, Http2StreamRecord stream) {
    }

    public final Queue<Http> http = new ConcurrentLinkedQueue<>();
    public final Queue<Http2> http2 = new ConcurrentLinkedQueue<>();
    public final Queue<ConnectionCapture> connections = new ConcurrentLinkedQueue<>();
    public final CaptureStats stats = new CaptureStats();

    public TapFactory taps() {
        SnifferLimits limits = SnifferLimits.defaults();
        Http2Limits h2 = new Http2Limits(limits.bodyCapBytes(), limits.maxHeaderBytes());
        H2cUpgrade h2c = Http2Decoder.upgradeFactory(h2);
        return new CaptureTaps(this, stats, Map.of(DetectedProtocol.HTTP1, HttpSniffer.factory(limits, h2c),
                DetectedProtocol.HTTP2, Http2Decoder.factory(h2)));
    }

    /** The first {@code n} HTTP/2 streams captured (waiting up to 20 s for them), in stream id order. */
    public List<Http2StreamRecord> awaitStreams(int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> http2.size() >= n);
        List<Http2StreamRecord> list = new ArrayList<>();
        http2.forEach(c -> list.add(c.stream()));
        list.sort((a, b) -> Integer.compare(a.streamId(), b.streamId()));
        return list;
    }

    @Override
    public void http(ConnectionInfo connection, HttpExchangeRecord exchange) {
        http.add(new Http(connection, exchange));
    }

    @Override
    public void http2(ConnectionInfo connection, Http2StreamRecord stream) {
        http2.add(new Http2(connection, stream));
    }

    @Override
    public void connection(ConnectionCapture summary) {
        connections.add(summary);
    }
}
