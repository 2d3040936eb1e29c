package dev.tapline.goproxy.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.CaptureSink;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.CaptureTaps;
import dev.tapline.goproxy.capture.ConnectionCapture;
import dev.tapline.goproxy.capture.DetectedProtocol;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.http1.HttpSniffer;
import dev.tapline.goproxy.capture.http1.SnifferLimits;
import dev.tapline.goproxy.capture.http2.Http2Decoder;
import dev.tapline.goproxy.capture.http2.Http2Limits;
import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.support.H2cApp;
import io.vertx.core.Vertx;

/**
 * Issue 24: with no forwarder to empty it, the capture queue fills; exchanges that start then are dropped at once,
 * and those whose body no longer fits are dropped before it is kept.
 * Real relay, real capture taps and batcher, a real app and curl: every byte is still relayed, and each dropped
 * exchange is counted once, in the counter the "Capture queue full" warning and goproxy_captures_dropped_total read.
 */
class QueueFullEarlyDropTest {
    private static final long QUEUE_BYTES = 256 * 1024;
    private static final int BIG = 64 * 1024;

    private final Vertx vertx = Vertx.vertx();
    private final CaptureStats stats = new CaptureStats();
    private final CaptureQueue queue = new CaptureQueue(QUEUE_BYTES);
    private H2cApp app;
    private RelayServer relay;
    private CountingSink sink;

    /** The batcher, as the taps see it, counting the bodies it refuses and the captures it is handed. */
    private static final class CountingSink implements CaptureSink {
        final CaptureBatcher batcher;
        final AtomicInteger bodiesRefused = new AtomicInteger();
        final AtomicInteger handed = new AtomicInteger();

        CountingSink(CaptureBatcher batcher) {
            this.batcher = batcher;
        }

        @Override
        public boolean admit() {
            return batcher.admit();
        }

        @Override
        public boolean admitBody(long bytes) {
            boolean admitted = batcher.admitBody(bytes);
            if (!admitted) {
                bodiesRefused.incrementAndGet();
            }
            return admitted;
        }

        @Override
        public void http(ConnectionInfo connection, HttpExchangeRecord exchange) {
            handed.incrementAndGet();
            batcher.http(connection, exchange);
        }

        @Override
        public void http2(ConnectionInfo connection, Http2StreamRecord stream) {
            handed.incrementAndGet();
            batcher.http2(connection, stream);
        }

        @Override
        public void connection(ConnectionCapture summary) {
            handed.incrementAndGet();
            batcher.connection(summary);
        }
    }

    @BeforeEach
    void start() throws Exception {
        app = new H2cApp(vertx);
        // no forwarder: nothing ever takes a batch out of the queue
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("early-drop"), 1000, 8L << 20, () -> { });
        SnifferLimits limits = new SnifferLimits(BIG, SnifferLimits.DEFAULT_MAX_HEADER_BYTES, SnifferLimits.DEFAULT_MAX_HEADERS);
        Http2Limits h2 = new Http2Limits(BIG, limits.maxHeaderBytes(), 8L << 20);
        sink = new CountingSink(batcher);
        CaptureTaps taps = new CaptureTaps(sink, stats, Map.of(
                DetectedProtocol.HTTP1, HttpSniffer.factory(limits, Http2Decoder.upgradeFactory(h2)),
                DetectedProtocol.HTTP2, Http2Decoder.factory(h2)));
        relay = new RelayServer(vertx, new RelaySettings("127.0.0.1", 0, "127.0.0.1", app.port(), Duration.ofMinutes(1),
                Duration.ofSeconds(2), 2), taps, new RelayStats());
        relay.start(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        relay.drain(Duration.ZERO);
        app.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void exchangesStartedOnAFullQueueAreRelayedIntactAndCountedAsDroppedOnceEach() throws Exception {
        // with room: captured as before, 64 KiB bodies kept whole
        byte[] first = curl(url("/big/" + BIG));
        assertThat(first).isEqualTo(expectedBig(BIG));
        await().atMost(10, TimeUnit.SECONDS).until(() -> queue.size() == 1);
        assertThat(queue.bytes()).isGreaterThan(BIG);
        assertThat(stats.droppedQueueFull.sum()).isZero();

        // the forwarder is gone: the queue fills up to its bound
        assertThat(queue.reserve((int) (QUEUE_BYTES - queue.bytes()))).isTrue();
        long queued = queue.size();
        long queuedBytes = queue.bytes();
        long producedBefore = stats.produced.sum();

        // HTTP/1.1 keep-alive: three exchanges on one connection
        int http1 = 3;
        List<String> args = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        for (int i = 0; i < http1; i++) {
            args.add(url("/big/" + BIG));
        }
        byte[] keepAlive = run(args);
        byte[] expected = expectedBig(BIG);
        assertThat(keepAlive).hasSize(http1 * BIG);
        for (int i = 0; i < http1; i++) {
            assertThat(Arrays.copyOfRange(keepAlive, i * BIG, (i + 1) * BIG)).isEqualTo(expected);
        }
        // HTTP/2 with prior knowledge: one stream per connection (curl 7.88 cannot reuse such a connection)
        int http2 = 2;
        for (int i = 0; i < http2; i++) {
            assertThat(run(List.of("curl", "-sS", "--max-time", "20", "--http2-prior-knowledge", url("/big/" + BIG))))
                    .isEqualTo(expected);
        }

        long dropped = http1 + http2;
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats.droppedQueueFull.sum() >= dropped);
        Thread.sleep(200); // a second count of the same exchange (at its end) would come right after
        assertThat(stats.droppedQueueFull.sum()).isEqualTo(dropped);
        assertThat(stats.produced.sum() - producedBefore).isEqualTo(dropped);
        assertThat(queue.size()).isEqualTo(queued);
        assertThat(queue.bytes()).isEqualTo(queuedBytes);
    }

    @Test
    void anExchangeWhoseBodyNoLongerFitsIsDroppedAtItsBodyAndASmallOneIsStillCaptured() throws Exception {
        // the forwarder is slow: the queue holds all but 16 KiB, so exchanges still start but a 64 KiB body cannot fit
        assertThat(queue.reserve((int) QUEUE_BYTES - 16 * 1024)).isTrue();
        long queued = queue.size();
        long queuedBytes = queue.bytes();
        int handedBefore = sink.handed.get();
        byte[] expected = expectedBig(BIG);

        // HTTP/1.1 keep-alive: three exchanges on one connection, each dropped at its response's body
        int http1 = 3;
        List<String> args = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        for (int i = 0; i < http1; i++) {
            args.add(url("/big/" + BIG));
        }
        byte[] keepAlive = run(args);
        assertThat(keepAlive).hasSize(http1 * BIG);
        for (int i = 0; i < http1; i++) {
            assertThat(Arrays.copyOfRange(keepAlive, i * BIG, (i + 1) * BIG)).isEqualTo(expected);
        }
        // HTTP/2 with prior knowledge: dropped at the first DATA frame of its answer
        assertThat(run(List.of("curl", "-sS", "--max-time", "20", "--http2-prior-knowledge", url("/big/" + BIG))))
                .isEqualTo(expected);

        long dropped = http1 + 1;
        await().atMost(10, TimeUnit.SECONDS).until(() -> stats.droppedQueueFull.sum() >= dropped);
        Thread.sleep(200); // a second count of the same exchange (at its end) would come right after
        assertThat(stats.droppedQueueFull.sum()).isEqualTo(dropped);
        assertThat(stats.produced.sum()).isEqualTo(dropped);
        assertThat(queue.size()).isEqualTo(queued);
        assertThat(queue.bytes()).isEqualTo(queuedBytes);
        // each was refused at its body, before a byte of it was kept, and never handed over to be encoded
        assertThat(sink.bodiesRefused.get()).isEqualTo(dropped);
        assertThat(sink.handed.get()).isEqualTo(handedBefore);

        // a small answer still fits: captured
        assertThat(curl(url("/hello/small"))).isEqualTo("hello small".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        await().atMost(10, TimeUnit.SECONDS).until(() -> queue.size() == queued + 1);
        assertThat(stats.droppedQueueFull.sum()).isEqualTo(dropped);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + relay.port() + path;
    }

    private static byte[] expectedBig(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = H2cApp.bigByte(i);
        }
        return b;
    }

    private static byte[] curl(String url) throws Exception {
        return run(List.of("curl", "-sS", "--max-time", "20", url));
    }

    private static byte[] run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl exit").isZero();
        return out;
    }
}
