package dev.tapline.goproxy.capture.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.outbox.CaptureBatch;
import dev.tapline.goproxy.outbox.CaptureBatcher;
import dev.tapline.goproxy.outbox.CaptureIds;
import dev.tapline.goproxy.outbox.CaptureQueue;
import dev.tapline.goproxy.relay.ConnectionInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * What capturing one HTTP/2 stream costs on the relay's event loop, decode (frames, HPACK) and encode (no
 * network): heap bytes allocated (exact) and CPU nanoseconds, the thread's and the process's with the GC's (noisy;
 * compare builds in one sitting, pinned to one CPU as the benchmark pins goproxy). The streams
 * are h2load's through the benchmark (deploy/bench/h2.sh): a GET and nginx's 200 with a 13-byte body, and one
 * with a 64 KiB body.
 *
 * <pre>./mvnw -B test -pl goproxy -am -Dtest=Http2CapturePathBench -Dtapline.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("bench")
class Http2CapturePathBench {
    /** Streams per connection: the wire is made once, HPACK's dynamic tables make it stateful. */
    private static final int STREAMS = 20_000;
    private static final byte[] BODY = "product-list\n".getBytes(StandardCharsets.US_ASCII);
    private static final int ROUNDS = 6;
    /** 64 KiB streams per connection, opened {@link #CONCURRENT} at a time as h2load -m 100 does. */
    private static final int BIG_STREAMS = 500;
    private static final int CONCURRENT = 100;
    private static final int BIG_BODY = 64 * 1024;
    /** nginx's http2_chunk_size: the DATA frame size it writes. */
    private static final int NGINX_FRAME = 8 * 1024;
    /** What one relay read of the app's socket gets at most. */
    private static final int READ = 64 * 1024;

    @Test
    void smallStream() {
        byte[][] client = new byte[STREAMS + 1][];
        byte[][] app = new byte[STREAMS + 1][];
        H2Wire c = new H2Wire();
        H2Wire a = new H2Wire();
        connectionStart(c, a, client, app);
        for (int i = 1; i <= STREAMS; i++) {
            int stream = 2 * i - 1;
            c.writer.writeHeaders(c.ctx, stream, new DefaultHttp2Headers().method("GET").path("/small")
                    .scheme("http").authority("127.0.0.1:15004").add("user-agent", "h2load nghttp2/1.52.0"),
                    0, true, c.ctx.newPromise());
            client[i] = c.bytes();
            a.writer.writeHeaders(a.ctx, stream, new DefaultHttp2Headers().status("200").add("server", "nginx/1.22.1")
                    .add("date", "Thu, 03 Dec 2026 16:21:" + (10 + i % 50) + " GMT")
                    .add("content-type", "application/octet-stream").add("content-length", "13")
                    .add("last-modified", "Thu, 03 Dec 2026 08:00:00 GMT").add("etag", "\"6926b4c0-d\"")
                    .add("accept-ranges", "bytes"), 0, false, a.ctx.newPromise());
            a.writer.writeData(a.ctx, stream, Unpooled.wrappedBuffer(BODY), 0, true, a.ctx.newPromise());
            app[i] = a.bytes();
        }
        measure("small", clientReads(client), direct(app), 25, STREAMS);
    }

    /**
     * h2load's 64 KiB stream through the benchmark: nginx answers 100 concurrent streams per connection with
     * content-length 65536 and the body in 8 KiB DATA frames, the streams' frames interleaved; the relay reads
     * the app's bytes 64 KiB at a time, so reads cut frames.
     */
    @Test
    void bigStream() {
        int batches = BIG_STREAMS / CONCURRENT;
        byte[][] client = new byte[batches + 1][];
        byte[][] app = new byte[batches + 1][];
        H2Wire c = new H2Wire();
        H2Wire a = new H2Wire();
        connectionStart(c, a, client, app);
        byte[] chunk = new byte[NGINX_FRAME];
        for (int b = 1; b <= batches; b++) {
            int first = 2 * (b - 1) * CONCURRENT + 1;
            for (int k = 0; k < CONCURRENT; k++) {
                c.writer.writeHeaders(c.ctx, first + 2 * k, new DefaultHttp2Headers().method("GET")
                        .path("/static/64k.bin").scheme("http").authority("127.0.0.1:15311")
                        .add("user-agent", "h2load nghttp2/1.52.0"), 0, true, c.ctx.newPromise());
                a.writer.writeHeaders(a.ctx, first + 2 * k, new DefaultHttp2Headers().status("200")
                        .add("server", "nginx/1.22.1").add("date", "Thu, 03 Dec 2026 16:21:" + (10 + b % 50) + " GMT")
                        .add("content-type", "application/octet-stream").add("content-length", "65536")
                        .add("last-modified", "Thu, 03 Dec 2026 08:00:00 GMT").add("etag", "\"6926b4c0-10000\"")
                        .add("accept-ranges", "bytes"), 0, false, a.ctx.newPromise());
            }
            for (int f = 0; f < BIG_BODY / NGINX_FRAME; f++) {
                for (int k = 0; k < CONCURRENT; k++) {
                    a.writer.writeData(a.ctx, first + 2 * k, Unpooled.wrappedBuffer(chunk), 0,
                            f == BIG_BODY / NGINX_FRAME - 1, a.ctx.newPromise());
                }
            }
            client[b] = c.bytes();
            app[b] = a.bytes();
        }
        measure("64 KiB", clientReads(client), reads(app), 3, BIG_STREAMS);
    }

    /** The client's preface and both sides' SETTINGS, as the pieces 0. */
    private static void connectionStart(H2Wire c, H2Wire a, byte[][] client, byte[][] app) {
        c.channel.write(Unpooled.wrappedBuffer(Http2CodecUtil.connectionPrefaceBuf()));
        c.writer.writeSettings(c.ctx, new Http2Settings(), c.ctx.newPromise());
        client[0] = c.bytes();
        a.writer.writeSettings(a.ctx, new Http2Settings(), a.ctx.newPromise());
        app[0] = a.bytes();
    }

    /**
     * Feeds each connection's bytes, client's then app's, {@code connections} times a round, and prints CPU
     * nanoseconds and heap bytes per stream; every stream must be captured.
     */
    private static void measure(String name, ByteBuf[] clientBufs, ByteBuf[][] appReads, int connections,
            int streams) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean process =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        CaptureQueue queue = new CaptureQueue(1L << 40);
        CaptureStats stats = new CaptureStats();
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("bench"), 256, 1 << 20, () -> {
            for (CaptureBatch sent = queue.take(); sent != null; sent = queue.take()) {
                sent.release();
            }
        });
        ConnectionInfo connection = new ConnectionInfo(1, "127.0.0.1:40000", "127.0.0.1:15000", System.nanoTime());
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public boolean admit() {
                return batcher.admit();
            }

            @Override
            public void onExchange(HttpExchangeRecord exchange) {
                throw new AssertionError("an HTTP/1 exchange from the HTTP/2 decoder");
            }

            @Override
            public void onStream(Http2StreamRecord stream) {
                batcher.http2(connection, stream);
            }
        };
        for (int round = 0; round < ROUNDS; round++) {
            long bytes = threads.getCurrentThreadAllocatedBytes();
            long cpu = threads.getCurrentThreadCpuTime();
            long processCpu = process.getProcessCpuTime();
            for (int k = 0; k < connections; k++) {
                Http2Decoder decoder = new Http2Decoder(listener, new Http2Limits(64 * 1024, 65_536), () -> 1);
                for (int i = 0; i < clientBufs.length; i++) {
                    decoder.onClientBytes(clientBufs[i].duplicate());
                    for (ByteBuf read : appReads[i]) {
                        decoder.onAppBytes(read.duplicate());
                    }
                }
                assertThat(decoder.stopped()).isFalse();
                decoder.onConnectionClosed();
            }
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
            long processNanos = process.getProcessCpuTime() - processCpu;
            long allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
            long n = (long) connections * streams;
            System.out.printf("h2 %s round %d: %.0f ns (process, GC included: %.0f ns) and %.0f heap bytes per stream%n",
                    name, round, (double) cpuNanos / n, (double) processNanos / n, (double) allocated / n);
        }
        assertThat(stats.produced.sum()).isEqualTo((long) ROUNDS * connections * streams);
        assertThat(stats.droppedQueueFull.sum()).isZero();
    }

    /** The client's pieces, each one read. */
    private static ByteBuf[] clientReads(byte[][] pieces) {
        ByteBuf[] out = new ByteBuf[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            out[i] = directCopy(pieces[i], 0, pieces[i].length);
        }
        return out;
    }

    /** Each piece as one read. */
    private static ByteBuf[][] direct(byte[][] pieces) {
        ByteBuf[][] out = new ByteBuf[pieces.length][];
        for (int i = 0; i < pieces.length; i++) {
            out[i] = new ByteBuf[] {directCopy(pieces[i], 0, pieces[i].length)};
        }
        return out;
    }

    /** Each piece cut into reads of {@link #READ} bytes, as the relay's reads cut the app's frames. */
    private static ByteBuf[][] reads(byte[][] pieces) {
        ByteBuf[][] out = new ByteBuf[pieces.length][];
        for (int i = 0; i < pieces.length; i++) {
            int n = (pieces[i].length + READ - 1) / READ;
            out[i] = new ByteBuf[n];
            for (int r = 0; r < n; r++) {
                int from = r * READ;
                out[i][r] = directCopy(pieces[i], from, Math.min(READ, pieces[i].length - from));
            }
        }
        return out;
    }

    private static ByteBuf directCopy(byte[] bytes, int from, int length) {
        return Unpooled.directBuffer(length).writeBytes(bytes, from, length);
    }
}
