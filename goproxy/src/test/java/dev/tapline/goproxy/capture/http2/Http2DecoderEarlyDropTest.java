package dev.tapline.goproxy.capture.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.Http2StreamRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Issue 24: a stream the listener refuses when it opens (the capture queue is full), or admits and then refuses a
 * body of at its first DATA frame (the queue has no room for that body), is followed but never recorded, and its
 * DATA from then on is counted, not copied; the streams around it are recorded whole. Frames written by Netty's own
 * HTTP/2 writer.
 */
class Http2DecoderEarlyDropTest {
    private static final int BIG = 64 * 1024;
    private static final int FRAME = 16 * 1024;

    /** One side's bytes, with a body of BIG bytes sent as DATA frames. */
    private static final class Wire extends H2Wire {
        void bigData(int stream, boolean endStream) {
            for (int sent = 0; sent < BIG; sent += FRAME) {
                writer.writeData(ctx, stream, Unpooled.wrappedBuffer(BODY, sent, FRAME), 0,
                        endStream && sent + FRAME == BIG, ctx.newPromise());
            }
        }
    }

    private static final byte[] BODY = new byte[BIG];

    /** A decoder past both prefaces, and the wires its two sides write on. */
    private static final class Connection {
        final Wire client = new Wire();
        final Wire app = new Wire();
        final Http2Decoder decoder;

        Connection(StreamGate gate) {
            decoder = new Http2Decoder(gate, BIG, 65_536, () -> 1);
            decoder.onClientBytes(Unpooled.wrappedBuffer(H2Wire.clientPreface()));
            decoder.onAppBytes(Unpooled.wrappedBuffer(settings(app)));
        }
    }

    static {
        for (int i = 0; i < BIG; i++) {
            BODY[i] = (byte) ('a' + i % 26);
        }
    }

    private static byte[] request(Wire w, int stream) {
        w.writer.writeHeaders(w.ctx, stream, new DefaultHttp2Headers().method("POST").path("/up/" + stream)
                .scheme("http").authority("app:80"), 0, false, w.ctx.newPromise());
        w.bigData(stream, true);
        return w.bytes();
    }

    private static byte[] response(Wire w, int stream) {
        w.writer.writeHeaders(w.ctx, stream, new DefaultHttp2Headers().status("200"), 0, false, w.ctx.newPromise());
        w.bigData(stream, true);
        return w.bytes();
    }

    @Test
    void refusedStreamsAreNeverRecordedAndTheOthersAreWholeAndNumberedAsBefore() {
        StreamGate gate = new StreamGate();
        gate.turns.addAll(List.of(false, true, false));
        gate.others = false;
        Connection c = new Connection(gate);
        Http2Decoder decoder = c.decoder;
        Wire client = c.client;
        Wire app = c.app;
        for (int stream = 1; stream <= 5; stream += 2) {
            decoder.onClientBytes(Unpooled.wrappedBuffer(request(client, stream)));
            decoder.onAppBytes(Unpooled.wrappedBuffer(response(app, stream)));
        }
        assertThat(decoder.stopped()).isFalse();
        decoder.onConnectionClosed();

        assertThat(gate.asked).isEqualTo(3);
        assertThat(gate.streams).extracting(Http2StreamRecord::streamId).containsExactly(3);
        Http2StreamRecord kept = gate.streams.get(0);
        assertThat(kept.exchange().sequence()).isEqualTo(1); // the dropped stream 1 took number 0, as a late drop did
        assertThat(kept.exchange().request().body()).isEqualTo(BODY);
        assertThat(kept.exchange().response().body()).isEqualTo(BODY);
    }

    @Test
    void aRefusedStreamCopiesNoneOfItsDataBytes() {
        int n = 40;
        StreamGate gate = new StreamGate();
        for (int i = 0; i < n + 1; i++) {
            gate.turns.add(false);
        }
        long perStream = allocatedPerStream(gate, n, (client, app, stream) -> new byte[][] {request(client, stream),
                response(app, stream)});

        assertThat(gate.asked).isEqualTo(n + 1);
        assertThat(gate.streams).isEmpty();
        // kept, the two 64 KiB bodies would allocate 128 KiB per stream; frames and bookkeeping take a few KiB
        assertThat(perStream).isLessThan(16 * 1024);
    }

    @Test
    void aStreamWhoseBodyFindsNoRoomIsDroppedAndTheOthersAreWhole() {
        StreamGate gate = new StreamGate();
        gate.bodyRoom = BIG / 2;
        Connection c = new Connection(gate);
        Http2Decoder decoder = c.decoder;
        Wire client = c.client;
        Wire app = c.app;
        // 1: a small answer with its length; 3: a big one with its length; 5: a big one of unknown length
        for (int stream = 1; stream <= 5; stream += 2) {
            client.writer.writeHeaders(client.ctx, stream, get(stream), 0, true, client.ctx.newPromise());
        }
        decoder.onClientBytes(Unpooled.wrappedBuffer(client.bytes()));
        decoder.onAppBytes(Unpooled.wrappedBuffer(answer(app, 1, 100, true)));
        decoder.onAppBytes(Unpooled.wrappedBuffer(answer(app, 3, BIG, true)));
        decoder.onAppBytes(Unpooled.wrappedBuffer(answer(app, 5, BIG, false)));
        gate.bodyRoom = Long.MAX_VALUE;
        client.writer.writeHeaders(client.ctx, 7, get(7), 0, true, client.ctx.newPromise());
        decoder.onClientBytes(Unpooled.wrappedBuffer(client.bytes()));
        decoder.onAppBytes(Unpooled.wrappedBuffer(answer(app, 7, BIG, true)));
        assertThat(decoder.stopped()).isFalse();
        decoder.onConnectionClosed();

        // once per body, at its first DATA frame: its announced length, else the cap
        assertThat(gate.bodiesAsked).containsExactly(100L, (long) BIG, (long) BIG, (long) BIG);
        assertThat(gate.streams).extracting(Http2StreamRecord::streamId).containsExactly(1, 7);
        assertThat(gate.streams.get(0).exchange().response().body()).hasSize(100);
        assertThat(gate.streams.get(1).exchange().response().body()).isEqualTo(BODY);
        assertThat(gate.streams.get(1).exchange().sequence()).isEqualTo(3); // 3 and 5 took their numbers
        assertThat(gate.streams.get(1).incomplete()).isFalse();
    }

    @Test
    void aBodyThatFindsNoRoomIsNotCopied() {
        int n = 40;
        StreamGate gate = new StreamGate();
        gate.bodyRoom = 0;
        long perStream = allocatedPerStream(gate, n, (client, app, stream) -> {
            client.writer.writeHeaders(client.ctx, stream, get(stream), 0, true, client.ctx.newPromise());
            return new byte[][] {client.bytes(), answer(app, stream, BIG, true)};
        });

        assertThat(gate.bodiesAsked).hasSize(n + 1);
        assertThat(gate.streams).isEmpty();
        // kept, the 64 KiB body would allocate 64 KiB per stream; frames, fields and bookkeeping take a few KiB
        assertThat(perStream).isLessThan(16 * 1024);
    }

    private static Http2Headers get(int stream) {
        return new DefaultHttp2Headers().method("GET").path("/s/" + stream).scheme("http").authority("app:80");
    }

    /** A 200 with a body of {@code size} bytes in DATA frames of at most 16 KiB, its length announced or not. */
    private static byte[] answer(H2Wire w, int stream, int size, boolean announced) {
        Http2Headers headers = new DefaultHttp2Headers().status("200");
        if (announced) {
            headers.setInt("content-length", size);
        }
        w.writer.writeHeaders(w.ctx, stream, headers, 0, false, w.ctx.newPromise());
        for (int sent = 0; sent < size; sent += FRAME) {
            int n = Math.min(FRAME, size - sent);
            w.writer.writeData(w.ctx, stream, Unpooled.wrappedBuffer(BODY, sent, n), 0, sent + n == size,
                    w.ctx.newPromise());
        }
        return w.bytes();
    }

    /** One stream's bytes, client's then app's, written on the connection's two wires. */
    private interface StreamBytes {
        byte[][] of(Wire client, Wire app, int stream);
    }

    /** Heap bytes the decoder allocates per stream, over {@code n} streams after one to warm up. */
    private static long allocatedPerStream(StreamGate gate, int n, StreamBytes streams) {
        Connection c = new Connection(gate);
        Http2Decoder decoder = c.decoder;
        Wire client = c.client;
        Wire app = c.app;
        List<ByteBuf[]> wire = new ArrayList<>();
        for (int i = 0; i < n + 1; i++) {
            byte[][] bytes = streams.of(client, app, 1 + 2 * i);
            wire.add(new ByteBuf[] {Unpooled.directBuffer().writeBytes(bytes[0]),
                    Unpooled.directBuffer().writeBytes(bytes[1])});
        }
        decoder.onClientBytes(wire.get(0)[0]); // warm up
        decoder.onAppBytes(wire.get(0)[1]);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 1; i <= n; i++) {
            decoder.onClientBytes(wire.get(i)[0]);
            decoder.onAppBytes(wire.get(i)[1]);
        }
        long perStream = (threads.getCurrentThreadAllocatedBytes() - before) / n;
        assertThat(decoder.stopped()).isFalse();
        decoder.onConnectionClosed();
        return perStream;
    }

    private static byte[] settings(Wire w) {
        w.writer.writeSettings(w.ctx, new Http2Settings(), w.ctx.newPromise());
        return w.bytes();
    }
}
