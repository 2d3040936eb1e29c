package dev.tapline.goproxy.capture.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;

/**
 * DATA frames cut by reads are passed to their streams piece by piece instead of being held: the captures must be
 * the same whatever the reads (pieces of one byte, reads ending inside a frame's header, its pad length, its
 * padding), END_STREAM must come with the frame's last piece, and a DATA frame the reader would refuse must still
 * stop the decoding.
 */
class Http2CutDataFrameTest {
    private static final int FRAME = 16 * 1024;

    private static byte[] body(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7 + i / 251);
        }
        return b;
    }

    /** A POST of 40,000 bytes in 16 KiB frames, the second padded; its answer in unpadded and padded frames. */
    private static byte[][] wire(byte[] upload, byte[] answer) {
        H2Wire c = new H2Wire();
        c.channel.write(Unpooled.wrappedBuffer(H2Wire.clientPreface()));
        c.writer.writeHeaders(c.ctx, 1, new DefaultHttp2Headers().method("POST").path("/up").scheme("http")
                .authority("app:80"), 0, false, c.ctx.newPromise());
        for (int sent = 0, i = 0; sent < upload.length; sent += FRAME, i++) {
            int n = Math.min(FRAME, upload.length - sent);
            c.writer.writeData(c.ctx, 1, Unpooled.wrappedBuffer(upload, sent, n), i == 1 ? 200 : 0,
                    sent + n == upload.length, c.ctx.newPromise());
        }
        c.writer.writeHeaders(c.ctx, 3, new DefaultHttp2Headers().method("GET").path("/down").scheme("http")
                .authority("app:80"), 0, true, c.ctx.newPromise());
        H2Wire a = new H2Wire();
        a.writer.writeHeaders(a.ctx, 1, new DefaultHttp2Headers().status("201"), 0, true, a.ctx.newPromise());
        a.writer.writeHeaders(a.ctx, 3, new DefaultHttp2Headers().status("200").add("content-length",
                String.valueOf(answer.length)), 0, false, a.ctx.newPromise());
        for (int sent = 0, i = 0; sent < answer.length; sent += FRAME, i++) {
            int n = Math.min(FRAME, answer.length - sent);
            // the last frame padded too: END_STREAM must wait for the end of its padding
            a.writer.writeData(a.ctx, 3, Unpooled.wrappedBuffer(answer, sent, n), i % 2 == 1 ? 256 : 0,
                    sent + n == answer.length, a.ctx.newPromise());
        }
        return new byte[][] {c.bytes(), a.bytes()};
    }

    /** Feeds each side in reads of {@code read} bytes, the client's first; the streams captured. */
    private static List<Http2StreamRecord> decode(byte[][] wire, int cap, int read) {
        StreamGate gate = new StreamGate();
        Http2Decoder decoder = new Http2Decoder(gate, cap, 65_536, () -> 1);
        for (int side = 0; side < 2; side++) {
            byte[] bytes = wire[side];
            for (int at = 0; at < bytes.length; at += read) {
                ByteBuf piece = Unpooled.wrappedBuffer(bytes, at, Math.min(read, bytes.length - at));
                if (side == 0) {
                    decoder.onClientBytes(piece);
                } else {
                    decoder.onAppBytes(piece);
                }
            }
        }
        assertThat(decoder.stopped()).as("reads of " + read).isFalse();
        return gate.streams;
    }

    @Test
    void bodiesInCutDataFramesAreCapturedTheSameWhateverTheReads() {
        byte[] upload = body(40_000, 1);
        byte[] answer = body(70_000, 2);
        byte[][] wire = wire(upload, answer);
        for (int cap : new int[] {100_000, 20_000}) {
            List<Http2StreamRecord> whole = decode(wire, cap, Integer.MAX_VALUE);
            assertThat(whole).hasSize(2);
            HttpExchangeRecord post = whole.get(0).exchange();
            assertThat(post.request().bodySize()).isEqualTo(upload.length); // padding is not body
            assertThat(post.request().body()).isEqualTo(java.util.Arrays.copyOf(upload, Math.min(cap, upload.length)));
            assertThat(post.request().bodyTruncated()).isEqualTo(cap < upload.length);
            assertThat(post.response().statusCode()).isEqualTo(201);
            HttpExchangeRecord get = whole.get(1).exchange();
            assertThat(get.response().bodySize()).isEqualTo(answer.length);
            assertThat(get.response().body()).isEqualTo(java.util.Arrays.copyOf(answer, Math.min(cap, answer.length)));
            assertThat(whole).allSatisfy(s -> assertThat(s.incomplete()).isFalse());

            for (int read : new int[] {1, 2, 9, 10, 11, 100, 4_099, FRAME, FRAME + 9, FRAME + 10, 65_536}) {
                assertThat(decode(wire, cap, read)).as("cap " + cap + ", reads of " + read)
                        .usingRecursiveComparison().isEqualTo(whole);
            }
        }
    }

    @Test
    void aStreamEndsWithTheLastPieceOfItsLastDataFrameNotBefore() {
        byte[] answer = body(3 * FRAME, 3);
        byte[][] wire = wire(body(10, 4), answer);
        StreamGate gate = new StreamGate();
        Http2Decoder decoder = new Http2Decoder(gate, 100_000, 65_536, () -> 1);
        decoder.onClientBytes(Unpooled.wrappedBuffer(wire[0]));
        byte[] app = wire[1];
        // the last frame is padded (256 bytes): every byte but its padding's last one, then that one
        decoder.onAppBytes(Unpooled.wrappedBuffer(app, 0, app.length - 1));
        assertThat(gate.streams).extracting(Http2StreamRecord::streamId).containsExactly(1);
        decoder.onAppBytes(Unpooled.wrappedBuffer(app, app.length - 1, 1));
        assertThat(gate.streams).extracting(Http2StreamRecord::streamId).containsExactly(1, 3);
        assertThat(gate.streams.get(1).exchange().response().body()).isEqualTo(answer);
    }

    @Test
    void aDataFrameCutInsideAHeaderBlockStillStopsTheDecoding() {
        List<String> gaveUp = new ArrayList<>();
        Http2Decoder decoder = new Http2Decoder(new ExchangeListener() {
            @Override
            public void onExchange(HttpExchangeRecord exchange) {
            }

            @Override
            public void onGiveUp(String reason) {
                gaveUp.add(reason);
            }
        }, 1024, 65_536, () -> 1);
        decoder.onClientBytes(Unpooled.wrappedBuffer(H2Wire.clientPreface()));
        // HEADERS without END_HEADERS (a literal ":method: GET"), then a DATA frame where CONTINUATION must come
        ByteBuf bytes = Unpooled.buffer();
        frame(bytes, 1, Http2FrameTypes.HEADERS, (short) 0, new byte[] {(byte) 0x82});
        frame(bytes, 1, Http2FrameTypes.DATA, Http2Flags.END_STREAM, new byte[1000]);
        decoder.onClientBytes(bytes.readSlice(bytes.readableBytes() - 500));
        decoder.onClientBytes(bytes);

        assertThat(decoder.stopped()).isTrue();
        assertThat(gaveUp).hasSize(1);
    }

    private static void frame(ByteBuf out, int stream, byte type, short flags, byte[] payload) {
        out.writeMedium(payload.length).writeByte(type).writeByte(flags).writeInt(stream).writeBytes(payload);
    }
}
