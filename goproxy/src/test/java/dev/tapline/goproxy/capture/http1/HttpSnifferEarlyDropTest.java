package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;

/**
 * Issue 24: an exchange the listener refuses at its start (the capture queue is full) is followed but never
 * recorded: its bodies are counted, not copied, and it reaches neither onResponse nor onExchange.
 */
class HttpSnifferEarlyDropTest {
    private static final int BIG = 64 * 1024;

    /** Admits the exchanges whose turn is true, in the order they start; records what it is handed. */
    private static final class Gate implements ExchangeListener {
        final List<Boolean> turns = new ArrayList<>();
        final List<HttpExchangeRecord> exchanges = new ArrayList<>();
        final List<Long> responses = new ArrayList<>();
        int asked;

        @Override
        public boolean admit() {
            return turns.get(asked++);
        }

        @Override
        public void onResponse(long sequence, HttpResponseRecord response) {
            responses.add(sequence);
        }

        @Override
        public void onExchange(HttpExchangeRecord exchange) {
            exchanges.add(exchange);
        }
    }

    @Test
    void refusedExchangesAreFollowedButNeverRecordedAndTheNextOnesAreWhole() {
        Gate gate = new Gate();
        gate.turns.addAll(List.of(true, false, false, true));
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), gate, System::nanoTime);
        byte[] body = big();
        // length-delimited, then chunked, request bodies; length-delimited and chunked responses
        sniffer.onClientBytes(ByteBuffer.wrap(post("/0", body)));
        sniffer.onAppBytes(ByteBuffer.wrap(okWithLength(body)));
        sniffer.onClientBytes(ByteBuffer.wrap(post("/1", body)));
        sniffer.onAppBytes(ByteBuffer.wrap(okWithLength(body)));
        sniffer.onClientBytes(ByteBuffer.wrap(chunkedPost("/2", body)));
        sniffer.onAppBytes(ByteBuffer.wrap(okChunked(body)));
        sniffer.onClientBytes(ByteBuffer.wrap(post("/3", body)));
        sniffer.onAppBytes(ByteBuffer.wrap(okChunked(body)));
        sniffer.onConnectionClosed();

        assertThat(sniffer.gaveUp()).isFalse();
        assertThat(gate.asked).isEqualTo(4);
        List<HttpExchangeRecord> exchanges = gate.exchanges;
        assertThat(exchanges).extracting(HttpExchangeRecord::sequence).containsExactly(0L, 3L);
        for (HttpExchangeRecord e : exchanges) {
            assertThat(e.request().body()).isEqualTo(body);
            assertThat(e.response().body()).isEqualTo(body);
            assertThat(e.response().complete()).isTrue();
        }
        assertThat(gate.responses).containsExactly(0L, 3L);
    }

    @Test
    void aRefusedExchangeCopiesNoneOfItsBodyBytes() {
        Gate gate = new Gate();
        int n = 50;
        for (int i = 0; i < n + 1; i++) {
            gate.turns.add(false);
        }
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), gate, System::nanoTime);
        byte[] body = big();
        ByteBuffer request = ByteBuffer.wrap(post("/up", body));
        ByteBuffer response = ByteBuffer.wrap(okWithLength(body));
        sniffer.onClientBytes(request.duplicate()); // warm up
        sniffer.onAppBytes(response.duplicate());

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < n; i++) {
            sniffer.onClientBytes(request.duplicate());
            sniffer.onAppBytes(response.duplicate());
        }
        long perExchange = (threads.getCurrentThreadAllocatedBytes() - before) / n;

        assertThat(gate.asked).isEqualTo(n + 1);
        assertThat(gate.exchanges).isEmpty();
        assertThat(gate.responses).isEmpty();
        // kept, the two 64 KiB bodies would allocate 128 KiB per exchange; heads and bookkeeping take a few KiB
        assertThat(perExchange).isLessThan(8 * 1024);
    }

    private static byte[] big() {
        byte[] b = new byte[BIG];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + i % 26);
        }
        return b;
    }

    private static byte[] post(String path, byte[] body) {
        return concat(lines("POST " + path + " HTTP/1.1", "Host: app", "Content-Length: " + body.length, ""), body);
    }

    private static byte[] chunkedPost(String path, byte[] body) {
        return concat(lines("POST " + path + " HTTP/1.1", "Host: app", "Transfer-Encoding: chunked", ""), chunked(body));
    }

    private static byte[] okWithLength(byte[] body) {
        return concat(lines("HTTP/1.1 200 OK", "Content-Length: " + body.length, ""), body);
    }

    private static byte[] okChunked(byte[] body) {
        return concat(lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", ""), chunked(body));
    }

    private static byte[] chunked(byte[] body) {
        int half = body.length / 2;
        return concat(Integer.toHexString(half) + "\r\n", Arrays.copyOfRange(body, 0, half),
                "\r\n" + Integer.toHexString(body.length - half) + "\r\n", Arrays.copyOfRange(body, half, body.length),
                "\r\n0\r\n\r\n");
    }

    private static byte[] concat(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : ((String) p).getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }
}
