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
 * network): heap bytes allocated (exact) and CPU nanoseconds (noisy; compare builds in one sitting). The stream
 * is h2load's small one through the benchmark (deploy/bench/h2.sh): a GET and nginx's 200 with a 13-byte body.
 *
 * <pre>./mvnw -B test -pl goproxy -am -Dtest=Http2CapturePathBench -Dtapline.excludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("bench")
class Http2CapturePathBench {
    /** Streams per connection: the wire is made once, HPACK's dynamic tables make it stateful. */
    private static final int STREAMS = 20_000;
    private static final byte[] BODY = "product-list\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void smallStream() {
        byte[][] client = new byte[STREAMS + 1][];
        byte[][] app = new byte[STREAMS + 1][];
        H2Wire c = new H2Wire();
        H2Wire a = new H2Wire();
        c.channel.write(Unpooled.wrappedBuffer(Http2CodecUtil.connectionPrefaceBuf()));
        c.writer.writeSettings(c.ctx, new Http2Settings(), c.ctx.newPromise());
        client[0] = c.bytes();
        a.writer.writeSettings(a.ctx, new Http2Settings(), a.ctx.newPromise());
        app[0] = a.bytes();
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
        ByteBuf[] clientBufs = direct(client);
        ByteBuf[] appBufs = direct(app);

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
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
        int connections = 25;
        for (int round = 0; round < 6; round++) {
            long bytes = threads.getCurrentThreadAllocatedBytes();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int k = 0; k < connections; k++) {
                Http2Decoder decoder = new Http2Decoder(listener, new Http2Limits(64 * 1024, 65_536), () -> 1);
                for (int i = 0; i <= STREAMS; i++) {
                    decoder.onClientBytes(clientBufs[i].duplicate());
                    decoder.onAppBytes(appBufs[i].duplicate());
                }
                assertThat(decoder.stopped()).isFalse();
                decoder.onConnectionClosed();
            }
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
            long allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
            long n = (long) connections * STREAMS;
            System.out.printf("h2 small round %d: %.0f ns and %.0f heap bytes per stream%n", round,
                    (double) cpuNanos / n, (double) allocated / n);
        }
        assertThat(stats.produced.sum()).isEqualTo(6L * connections * STREAMS);
        assertThat(stats.droppedQueueFull.sum()).isZero();
    }

    private static ByteBuf[] direct(byte[][] pieces) {
        ByteBuf[] out = new ByteBuf[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            out[i] = Unpooled.directBuffer(pieces[i].length).writeBytes(pieces[i]);
        }
        return out;
    }
}
