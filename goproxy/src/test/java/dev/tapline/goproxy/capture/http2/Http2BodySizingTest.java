package dev.tapline.goproxy.capture.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * What the decoder allocates to keep a body, and that the content-length it sizes bodies from is only a hint:
 * a body announced with its length is copied into one array of that length (at most the body cap, and only when
 * the connection's budget has room); a DATA frame cut by a read goes to its stream without being held, any other
 * is held in one array of the frame's size. Frames written by Netty's own HTTP/2 writer, bodies in nginx's 8 KiB
 * DATA frames.
 */
class Http2BodySizingTest {
    private static final int CAP = 64 * 1024;
    private static final int FRAME = 8 * 1024;
    private static final byte[] BODY = new byte[CAP];

    static {
        for (int i = 0; i < BODY.length; i++) {
            BODY[i] = (byte) ('a' + i % 26);
        }
    }

    private static byte[] get(H2Wire w, int stream) {
        w.writer.writeHeaders(w.ctx, stream, new DefaultHttp2Headers().method("GET").path("/static/64k.bin")
                .scheme("http").authority("app:80"), 0, true, w.ctx.newPromise());
        return w.bytes();
    }

    private static Http2Headers ok(String contentLength) {
        Http2Headers h = new DefaultHttp2Headers().status("200").add("content-type", "application/octet-stream");
        return contentLength == null ? h : h.add("content-length", contentLength);
    }

    /** A 200 announcing {@code contentLength} (null: none), then {@code body} in DATA frames of {@code frame}. */
    private static byte[] answer(H2Wire w, int stream, String contentLength, byte[] body, int frame) {
        w.writer.writeHeaders(w.ctx, stream, ok(contentLength), 0, false, w.ctx.newPromise());
        for (int sent = 0; sent < body.length; sent += frame) {
            int n = Math.min(frame, body.length - sent);
            w.writer.writeData(w.ctx, stream, Unpooled.wrappedBuffer(body, sent, n), 0, sent + n == body.length,
                    w.ctx.newPromise());
        }
        return w.bytes();
    }

    private static Http2Decoder decoder(StreamGate listener, int bodyCap, long connectionBytes) {
        Http2Decoder d = new Http2Decoder(listener, new Http2Limits(bodyCap, 65_536, connectionBytes), () -> 1);
        d.onClientBytes(Unpooled.wrappedBuffer(H2Wire.clientPreface()));
        H2Wire settings = new H2Wire();
        settings.writer.writeSettings(settings.ctx, new Http2Settings(), settings.ctx.newPromise());
        d.onAppBytes(Unpooled.wrappedBuffer(settings.bytes()));
        return d;
    }

    /** Heap bytes this thread allocates per step, steps 1 to {@code n}, after step 0 warmed up. */
    private static long allocatedPerStep(int n, IntConsumer step) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        step.accept(0);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 1; i <= n; i++) {
            step.accept(i);
        }
        return (threads.getCurrentThreadAllocatedBytes() - before) / n;
    }

    @Test
    void aBodyOfAnnouncedLengthInManyFramesIsCopiedIntoOneArrayOfThatLength() {
        int n = 40;
        StreamGate listener = new StreamGate();
        Http2Decoder decoder = decoder(listener, CAP, Http2Limits.DEFAULT_CONNECTION_BYTES);
        H2Wire client = new H2Wire();
        H2Wire app = new H2Wire();
        List<ByteBuf[]> wire = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            int stream = 1 + 2 * i;
            wire.add(new ByteBuf[] {Unpooled.directBuffer().writeBytes(get(client, stream)),
                    Unpooled.directBuffer().writeBytes(answer(app, stream, "65536", BODY, FRAME))});
        }
        long perStream = allocatedPerStep(n, i -> {
            decoder.onClientBytes(wire.get(i)[0]);
            decoder.onAppBytes(wire.get(i)[1]);
        });

        assertThat(listener.streams).hasSize(n + 1).allSatisfy(s -> {
            assertThat(s.exchange().response().body()).isEqualTo(BODY);
            assertThat(s.exchange().response().bodyTruncated()).isFalse();
        });
        // grown from the first frame's 8 KiB by doubling, the arrays would take 8 + 16 + 32 + 64 = 120 KiB
        assertThat(perStream).isBetween((long) CAP, CAP + 16L * 1024);
    }

    @Test
    void anAnnouncedLengthIsOnlyAHintTheBodyIsWhatTheFramesCarry() {
        byte[] short100 = Arrays.copyOf(BODY, 100);
        byte[] past = Arrays.copyOf(BODY, 3 * FRAME);
        StreamGate listener = new StreamGate();
        Http2Decoder decoder = decoder(listener, 4096, Http2Limits.DEFAULT_CONNECTION_BYTES);
        H2Wire client = new H2Wire();
        H2Wire app = new H2Wire();
        String[] announced = {"65536", "10", "99999999999999999999", "1000000000000000", "12ab", null};
        byte[][] bodies = {short100, past, past, past, past, past};
        for (int i = 0; i < announced.length; i++) {
            decoder.onClientBytes(Unpooled.wrappedBuffer(get(client, 1 + 2 * i)));
            decoder.onAppBytes(Unpooled.wrappedBuffer(answer(app, 1 + 2 * i, announced[i], bodies[i], 64)));
        }
        assertThat(decoder.stopped()).isFalse();

        assertThat(listener.streams).hasSize(announced.length);
        for (int i = 0; i < announced.length; i++) {
            HttpResponseRecord r = listener.streams.get(i).exchange().response();
            int kept = Math.min(bodies[i].length, 4096);
            assertThat(r.body()).as("announced %s", announced[i]).isEqualTo(Arrays.copyOf(bodies[i], kept));
            assertThat(r.bodySize()).isEqualTo(bodies[i].length);
            assertThat(r.bodyTruncated()).isEqualTo(bodies[i].length > 4096);
        }
    }

    @Test
    void announcedLengthsTheConnectionsBudgetHasNoRoomForAreNotReservedAndDecodingGoesOn() {
        int streams = 8; // each announces a gigabyte and sends its first frame: 8 x 64 KiB is twice the budget
        long budget = 4 * CAP;
        StreamGate listener = new StreamGate();
        Http2Decoder decoder = decoder(listener, CAP, budget);
        H2Wire client = new H2Wire();
        H2Wire app = new H2Wire();
        byte[] frame = Arrays.copyOf(BODY, 1024);
        for (int i = 0; i < streams; i++) {
            int stream = 1 + 2 * i;
            decoder.onClientBytes(Unpooled.wrappedBuffer(get(client, stream)));
            app.writer.writeHeaders(app.ctx, stream, ok("1000000000"), 0, false, app.ctx.newPromise());
            app.writer.writeData(app.ctx, stream, Unpooled.wrappedBuffer(frame), 0, false, app.ctx.newPromise());
            decoder.onAppBytes(Unpooled.wrappedBuffer(app.bytes()));
        }
        assertThat(decoder.stopped()).isFalse(); // the streams really hold 8 KiB in all
        for (int i = 0; i < streams; i++) {
            app.writer.writeData(app.ctx, 1 + 2 * i, Unpooled.wrappedBuffer(frame), 0, true, app.ctx.newPromise());
        }
        decoder.onAppBytes(Unpooled.wrappedBuffer(app.bytes()));

        assertThat(decoder.stopped()).isFalse();
        assertThat(listener.streams).hasSize(streams).allSatisfy(s -> {
            assertThat(s.exchange().response().body()).hasSize(2048);
            assertThat(s.exchange().response().bodySize()).isEqualTo(2048);
        });
    }

    @Test
    void aDataFrameCutByAReadGoesToItsStreamWithoutBeingHeld() {
        assertThat(allocatedPerCutFrame(Http2FrameTypes.DATA)).isLessThan(1024); // held: 16 KiB and more
    }

    @Test
    void anotherFrameCutByAReadIsHeldInOneArrayOfTheFramesSize() {
        // grown from the first read's part, the array would be rounded up to the next power of two: 32 KiB
        assertThat(allocatedPerCutFrame((byte) 0x20)).isBetween(16L * 1024, 20L * 1024); // an extension frame
    }

    /** Heap bytes per frame of 16 KiB of {@code type}, each cut in two reads, the header in the first. */
    private static long allocatedPerCutFrame(byte type) {
        int n = 40;
        int frame = 16 * 1024;
        StreamGate listener = new StreamGate();
        listener.others = false; // a dropped stream keeps no body: what is allocated is for the cut frame
        Http2Decoder decoder = decoder(listener, CAP, Http2Limits.DEFAULT_CONNECTION_BYTES);
        H2Wire client = new H2Wire();
        H2Wire app = new H2Wire();
        decoder.onClientBytes(Unpooled.wrappedBuffer(get(client, 1)));
        app.writer.writeHeaders(app.ctx, 1, ok(null), 0, false, app.ctx.newPromise());
        decoder.onAppBytes(Unpooled.wrappedBuffer(app.bytes()));
        List<ByteBuf[]> reads = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            app.writer.writeFrame(app.ctx, type, 1, new Http2Flags(), Unpooled.wrappedBuffer(BODY, 0, frame),
                    app.ctx.newPromise());
            byte[] bytes = app.bytes();
            int cut = bytes.length / 2; // the header in the first read, the payload across both
            reads.add(new ByteBuf[] {Unpooled.directBuffer().writeBytes(bytes, 0, cut),
                    Unpooled.directBuffer().writeBytes(bytes, cut, bytes.length - cut)});
        }
        long perFrame = allocatedPerStep(n, i -> {
            decoder.onAppBytes(reads.get(i)[0]);
            decoder.onAppBytes(reads.get(i)[1]);
        });
        assertThat(decoder.stopped()).isFalse();
        return perFrame;
    }
}
