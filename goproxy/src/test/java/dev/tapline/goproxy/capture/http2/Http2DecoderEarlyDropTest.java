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
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Issue 24: a stream the listener refuses when it opens (the capture queue is full) is followed but never
 * recorded, and its DATA is counted, not copied. Frames written by Netty's own HTTP/2 writer.
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
        Http2Decoder decoder = new Http2Decoder(gate, BIG, 65_536, () -> 1);
        Wire client = new Wire();
        Wire app = new Wire();
        decoder.onClientBytes(Unpooled.wrappedBuffer(H2Wire.clientPreface()));
        decoder.onAppBytes(Unpooled.wrappedBuffer(settings(app)));
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
        Http2Decoder decoder = new Http2Decoder(gate, BIG, 65_536, () -> 1);
        Wire client = new Wire();
        Wire app = new Wire();
        decoder.onClientBytes(Unpooled.wrappedBuffer(H2Wire.clientPreface()));
        decoder.onAppBytes(Unpooled.wrappedBuffer(settings(app)));
        List<ByteBuf[]> wire = new ArrayList<>();
        for (int i = 0; i < n + 1; i++) {
            int stream = 1 + 2 * i;
            wire.add(new ByteBuf[] {Unpooled.directBuffer().writeBytes(request(client, stream)),
                    Unpooled.directBuffer().writeBytes(response(app, stream))});
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

        assertThat(gate.asked).isEqualTo(n + 1);
        assertThat(gate.streams).isEmpty();
        // kept, the two 64 KiB bodies would allocate 128 KiB per stream; frames and bookkeeping take a few KiB
        assertThat(perStream).isLessThan(16 * 1024);
    }

    private static byte[] settings(Wire w) {
        w.writer.writeSettings(w.ctx, new Http2Settings(), w.ctx.newPromise());
        return w.bytes();
    }
}
