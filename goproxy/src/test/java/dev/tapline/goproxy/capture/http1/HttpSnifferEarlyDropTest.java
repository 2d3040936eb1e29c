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
 * Issue 24: an exchange the listener refuses at its start (the capture queue is full), or admits and then refuses
 * a body of (the queue has no room for that body), is followed but never recorded: its bodies from then on are
 * counted, not copied, and it reaches neither onResponse nor onExchange; the exchanges around it are recorded whole.
 */
class HttpSnifferEarlyDropTest {
    private static final int BIG = 64 * 1024;

    /**
     * Admits the exchanges whose turn is true, in the order they start (all of them past the turns set), and the
     * bodies up to {@link #room} bytes; records what it is asked and handed.
     */
    private static final class Gate implements ExchangeListener {
        final List<Boolean> turns = new ArrayList<>();
        final List<Long> bodiesAsked = new ArrayList<>();
        final List<HttpExchangeRecord> exchanges = new ArrayList<>();
        final List<Long> responses = new ArrayList<>();
        long room = Long.MAX_VALUE;
        int asked;

        @Override
        public boolean admit() {
            int turn = asked++;
            return turn >= turns.size() || turns.get(turn);
        }

        @Override
        public boolean admitBody(long bytes) {
            bodiesAsked.add(bytes);
            return bytes <= room;
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
        byte[] body = big();
        long perExchange = allocatedPerExchange(gate, post("/up", body), okWithLength(body), n);

        assertThat(gate.asked).isEqualTo(n + 1);
        assertThat(gate.exchanges).isEmpty();
        assertThat(gate.responses).isEmpty();
        // kept, the two 64 KiB bodies would allocate 128 KiB per exchange; heads and bookkeeping take a few KiB
        assertThat(perExchange).isLessThan(8 * 1024);
    }

    @Test
    void anExchangeWhoseBodyFindsNoRoomIsDroppedAndTheOthersStayWholeAndInOrder() {
        Gate gate = new Gate();
        gate.room = BIG / 2;
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), gate, System::nanoTime);
        byte[] big = big();
        byte[] small = Arrays.copyOf(big(), 100);
        // pipelined: all four requests before any response, so the dropped ones sit between kept ones
        sniffer.onClientBytes(ByteBuffer.wrap(concat(get("/0"), get("/1"), post("/2", big), get("/3"))));
        sniffer.onAppBytes(ByteBuffer.wrap(okWithLength(small)));   // 0: kept
        sniffer.onAppBytes(ByteBuffer.wrap(okWithLength(big)));     // 1: its response body finds no room
        sniffer.onAppBytes(ByteBuffer.wrap(okWithLength(small)));   // 2: its request body found none already
        sniffer.onAppBytes(ByteBuffer.wrap(okChunked(small))); // 3: unknown length, asked for the cap: no room
        gate.room = Long.MAX_VALUE;
        sniffer.onClientBytes(ByteBuffer.wrap(concat(post("/4", big), get("/5"))));
        sniffer.onAppBytes(ByteBuffer.wrap(okChunked(big)));
        sniffer.onAppBytes(ByteBuffer.wrap(okWithLength(big)));
        sniffer.onConnectionClosed();

        assertThat(sniffer.gaveUp()).isFalse();
        // 2's request (64 KiB), 0's response (100), 1's response (64 KiB), 3's chunked one (the cap), not 2's
        // response (2 was dropped already); 4's request, 4's chunked response, 5's response
        assertThat(gate.bodiesAsked).containsExactly((long) BIG, 100L, (long) BIG, (long) BIG, (long) BIG,
                (long) BIG, (long) BIG);
        assertThat(gate.exchanges).extracting(HttpExchangeRecord::sequence).containsExactly(0L, 4L, 5L);
        assertThat(gate.responses).containsExactly(0L, 4L, 5L);
        assertThat(gate.exchanges.get(0).response().body()).isEqualTo(small);
        assertThat(gate.exchanges.get(1).request().body()).isEqualTo(big);
        assertThat(gate.exchanges.get(1).response().body()).isEqualTo(big);
        assertThat(gate.exchanges.get(2).response().body()).isEqualTo(big);
        assertThat(gate.exchanges.get(2).request().target()).isEqualTo("/5");
    }

    @Test
    void aBodyThatFindsNoRoomIsNotCopied() {
        Gate gate = new Gate();
        gate.room = 0;
        int n = 50;
        long perExchange = allocatedPerExchange(gate, get("/big"), okWithLength(big()), n);

        assertThat(gate.bodiesAsked).hasSize(n + 1);
        assertThat(gate.exchanges).isEmpty();
        // kept, the 64 KiB body would allocate 64 KiB per exchange; its heads and bookkeeping take a few KiB
        assertThat(perExchange).isLessThan(8 * 1024);
    }

    /** Heap bytes the sniffer allocates per exchange, over {@code n} exchanges after one to warm up. */
    private static long allocatedPerExchange(Gate gate, byte[] requestBytes, byte[] responseBytes, int n) {
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), gate, System::nanoTime);
        ByteBuffer request = ByteBuffer.wrap(requestBytes);
        ByteBuffer response = ByteBuffer.wrap(responseBytes);
        sniffer.onClientBytes(request.duplicate()); // warm up
        sniffer.onAppBytes(response.duplicate());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < n; i++) {
            sniffer.onClientBytes(request.duplicate());
            sniffer.onAppBytes(response.duplicate());
        }
        long perExchange = (threads.getCurrentThreadAllocatedBytes() - before) / n;
        assertThat(sniffer.gaveUp()).isFalse();
        return perExchange;
    }

    private static byte[] get(String path) {
        return concat(lines("GET " + path + " HTTP/1.1", "Host: app", ""));
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
