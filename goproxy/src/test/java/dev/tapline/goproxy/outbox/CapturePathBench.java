package dev.tapline.goproxy.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.WallClock;
import dev.tapline.goproxy.capture.http1.HttpSniffer;
import dev.tapline.goproxy.capture.http1.SnifferLimits;
import dev.tapline.goproxy.relay.ConnectionInfo;

/**
 * What capturing one exchange costs on the relay's event loop, decode and encode (no network): heap bytes
 * allocated (exact, from the JVM's per-thread counter) and CPU nanoseconds (noisy; compare builds in one sitting).
 * The exchange is the benchmark's small one: wrk's GET and nginx's 200 with its 8 headers and a 13-byte body.
 *
 * <pre>./mvnw -B test -pl goproxy -Dtest=CapturePathBench -Dtapline.excludedGroups=none</pre>
 */
@Tag("bench")
class CapturePathBench {
    private static final byte[] REQUEST = ("GET /small HTTP/1.1\r\nHost: 127.0.0.1:15004\r\n"
            + "X-Bench-Run: small-goproxy-1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
            + "Date: Thu, 26 Nov 2026 11:03:18 GMT\r\nContent-Type: application/octet-stream\r\nContent-Length: 13\r\n"
            + "Last-Modified: Thu, 26 Nov 2026 08:00:00 GMT\r\nConnection: keep-alive\r\nETag: \"6926b4c0-d\"\r\n"
            + "Accept-Ranges: bytes\r\n\r\nproduct-list\n").getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void smallExchange() {
        measure("small", RESPONSE, 2_000_000);
    }

    /** The benchmark's "big" exchange: nginx's 200 with a 64 KiB body, kept whole (the default body cap). */
    @Test
    void bigExchange() {
        measure("big", bigResponse(), 50_000);
    }

    /**
     * The queue is full (forwarder slow or down): each exchange is dropped. "late" is the drop as it was before
     * issue 24 (decoded, bodies copied, record built, dropped by the batcher), "early" the drop decided when the
     * exchange starts (bodies only counted, no record).
     */
    @Test
    void queueFull() {
        for (boolean early : new boolean[] {false, true}) {
            measure((early ? "early" : "late") + "-drop small", RESPONSE, 2_000_000, 0, early);
            measure((early ? "early" : "late") + "-drop big", bigResponse(), 200_000, 0, early);
        }
    }

    /**
     * The queue is within 16 KiB of its bound (the forwarder is slow and captures are large): each 64 KiB exchange
     * starts, then is dropped when its response's body is about to be kept, as the batcher's body check decides.
     */
    @Test
    void queueNearlyFull() {
        measure("body-drop big", bigResponse(), 200_000, 16 * 1024, true);
    }

    private static byte[] bigResponse() {
        String head = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Thu, 26 Nov 2026 11:03:18 GMT\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: 65536\r\nConnection: keep-alive\r\n\r\n";
        byte[] response = Arrays.copyOf(head.getBytes(StandardCharsets.ISO_8859_1), head.length() + 65536);
        Arrays.fill(response, head.length(), response.length, (byte) 'x');
        return response;
    }

    private static void measure(String name, byte[] responseBytes, int exchanges) {
        measure(name, responseBytes, exchanges, 1L << 40, true);
    }

    /**
     * @param room   bytes the queue has room for (it is filled up to its bound but for these)
     * @param admits whether the listener passes the batcher's drop decisions on, at the start and at a body (as
     *               CaptureTap does)
     */
    private static void measure(String name, byte[] responseBytes, int exchanges, long room, boolean admits) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long queueBytes = 64L << 20;
        CaptureQueue queue = new CaptureQueue(queueBytes);
        if (room < queueBytes) {
            assertThat(queue.reserve((int) (queueBytes - room))).isTrue();
        }
        CaptureStats stats = new CaptureStats();
        CaptureBatcher batcher = new CaptureBatcher(queue, stats, new CaptureIds("bench"), 256, 1 << 20, () -> {
            for (CaptureBatch sent = queue.take(); sent != null; sent = queue.take()) {
                sent.release(); // the uploader's part, once the forwarder acked it
            }
        });
        ConnectionInfo connection = new ConnectionInfo(1, "127.0.0.1:40000", "127.0.0.1:15000", System.nanoTime());
        ExchangeListener listener = new ExchangeListener() {
            @Override
            public boolean admit() {
                return !admits || batcher.admit();
            }

            @Override
            public boolean admitBody(long bytes) {
                return !admits || batcher.admitBody(bytes);
            }

            @Override
            public boolean observesDroppedRequests() {
                return false; // as CaptureTap with its debug log off
            }

            @Override
            public void onExchange(HttpExchangeRecord exchange) {
                batcher.http(connection, exchange);
            }
        };
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), listener, WallClock::nowNanos);
        ByteBuffer request = ByteBuffer.allocateDirect(REQUEST.length).put(REQUEST).flip();
        ByteBuffer response = ByteBuffer.allocateDirect(responseBytes.length).put(responseBytes).flip();

        for (int round = 0; round < 5; round++) {
            long bytes = threads.getCurrentThreadAllocatedBytes();
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < exchanges; i++) {
                sniffer.onClientBytes(request);
                sniffer.onAppBytes(response);
            }
            long cpuNanos = threads.getCurrentThreadCpuTime() - cpu;
            long allocated = threads.getCurrentThreadAllocatedBytes() - bytes;
            System.out.printf("%s round %d: %.0f ns and %.0f heap bytes per exchange%n", name, round,
                    (double) cpuNanos / exchanges, (double) allocated / exchanges);
        }
        assertThat(sniffer.gaveUp()).isFalse();
        assertThat(stats.produced.sum()).isEqualTo(5L * exchanges);
        assertThat(stats.droppedQueueFull.sum()).isEqualTo(room < responseBytes.length ? 5L * exchanges : 0);
    }
}
