package dev.tapline.goproxy.capture.http2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Frames written by Netty's own HTTP/2 writer (HPACK with its dynamic table, a header block long enough for
 * CONTINUATION, padded DATA, trailers, RST_STREAM), fed to the decoder cut at every offset: the captures must not
 * depend on where the reads fall.
 */
class Http2DecoderSplitTest {

    private static final String LONG_VALUE = "v".repeat(20_000); // > 16 KiB: HEADERS + CONTINUATION

    private static byte[] clientBytes() {
        H2Wire w = new H2Wire();
        w.channel.write(Unpooled.wrappedBuffer(Http2CodecUtil.connectionPrefaceBuf()));
        w.writer.writeSettings(w.ctx, new Http2Settings(), w.ctx.newPromise());
        Http2Headers post = new DefaultHttp2Headers().method("POST").path("/upload").scheme("http").authority("app:80");
        post.add("x-long", LONG_VALUE).add("x-dup", "1").add("x-dup", "2");
        w.writer.writeHeaders(w.ctx, 1, post, 0, false, w.ctx.newPromise());
        w.writer.writeData(w.ctx, 1, Unpooled.copiedBuffer("hello ", StandardCharsets.US_ASCII), 17, false, w.ctx.newPromise());
        w.writer.writeData(w.ctx, 1, Unpooled.copiedBuffer("world", StandardCharsets.US_ASCII), 0, false, w.ctx.newPromise());
        w.writer.writeHeaders(w.ctx, 1, new DefaultHttp2Headers().add("x-checksum", "abc"), 0, true, w.ctx.newPromise());
        // the same request head again: now from HPACK's dynamic table
        Http2Headers get = new DefaultHttp2Headers().method("GET").path("/slow").scheme("http").authority("app:80");
        w.writer.writeHeaders(w.ctx, 3, get, 0, true, w.ctx.newPromise());
        w.writer.writeRstStream(w.ctx, 3, 8, w.ctx.newPromise());
        return w.bytes();
    }

    private static byte[] appBytes() {
        H2Wire w = new H2Wire();
        w.writer.writeSettings(w.ctx, new Http2Settings().maxConcurrentStreams(100), w.ctx.newPromise());
        w.writer.writeHeaders(w.ctx, 1, new DefaultHttp2Headers().status("200").add("content-type", "text/plain"), 0,
                false, w.ctx.newPromise());
        w.writer.writeData(w.ctx, 1, Unpooled.copiedBuffer("stored", StandardCharsets.US_ASCII), 3, false, w.ctx.newPromise());
        w.writer.writeHeaders(w.ctx, 1, new DefaultHttp2Headers().add("x-took", "5ms"), 0, true, w.ctx.newPromise());
        return w.bytes();
    }

    private static List<Http2StreamRecord> decode(byte[] client, byte[] app, int cut) {
        StreamGate gate = new StreamGate();
        Http2Decoder decoder = new Http2Decoder(gate, 4, 65_536, () -> 1);
        // the client's side first, as the relay sees it: an app cannot answer a request it has not received
        int c = Math.min(cut, client.length);
        decoder.onClientBytes(Unpooled.wrappedBuffer(client, 0, c));
        decoder.onClientBytes(Unpooled.wrappedBuffer(client, c, client.length - c));
        int a = Math.min(cut, app.length);
        decoder.onAppBytes(Unpooled.wrappedBuffer(app, 0, a));
        decoder.onAppBytes(Unpooled.wrappedBuffer(app, a, app.length - a));
        assertThat(decoder.stopped()).as("gave up at cut " + cut).isFalse();
        decoder.onConnectionClosed();
        return gate.streams;
    }

    @Test
    void theCapturesAreTheSameWhereverTheReadsAreCut() {
        byte[] client = clientBytes();
        byte[] app = appBytes();
        List<Http2StreamRecord> whole = decode(client, app, client.length);
        assertThat(whole).hasSize(2);
        Http2StreamRecord reset = whole.get(0);
        assertThat(reset.streamId()).isEqualTo(3);
        assertThat(reset.reset()).isTrue();
        assertThat(reset.resetByApp()).isFalse();
        assertThat(reset.resetErrorCode()).isEqualTo(8);
        assertThat(reset.exchange().request().target()).isEqualTo("/slow");
        Http2StreamRecord upload = whole.get(1);
        assertThat(upload.streamId()).isEqualTo(1);
        assertThat(upload.exchange().request().header("x-long")).isEqualTo(LONG_VALUE);
        assertThat(upload.exchange().request().bodySize()).isEqualTo(11); // padding is not body
        assertThat(new String(upload.exchange().request().body(), StandardCharsets.US_ASCII)).isEqualTo("hell");
        assertThat(upload.exchange().request().bodyTruncated()).isTrue();
        assertThat(upload.exchange().request().trailers()).hasSize(1);
        assertThat(upload.exchange().response().trailers().get(0).value()).isEqualTo("5ms");
        assertThat(upload.incomplete()).isFalse();

        for (int cut = 0; cut < Math.max(client.length, app.length); cut += cut < 100 ? 1 : 97) {
            assertThat(decode(client, app, cut)).as("cut at " + cut).usingRecursiveComparison().isEqualTo(whole);
        }
    }

    @Test
    void aConnectionThatEndsMidStreamFlushesItIncomplete() {
        byte[] client = clientBytes();
        StreamGate gate = new StreamGate();
        List<Http2StreamRecord> out = gate.streams;
        Http2Decoder decoder = new Http2Decoder(gate, 1024, 65_536, () -> 1);
        decoder.onClientBytes(Unpooled.wrappedBuffer(client));
        assertThat(out).hasSize(1); // the reset one
        decoder.onConnectionClosed();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).incomplete()).isTrue();
        assertThat(out.get(1).exchange().response()).isNull();
    }

    @Test
    void garbageAfterThePrefaceStopsDecodingOnceWithoutThrowing() {
        List<String> reasons = new ArrayList<>();
        Http2Decoder decoder = new Http2Decoder(new ExchangeListener() {
            @Override
            public void onExchange(HttpExchangeRecord exchange) {
            }

            @Override
            public void onGiveUp(String reason) {
                reasons.add(reason);
            }
        }, 1024, 65_536, () -> 1);
        decoder.onClientBytes(Unpooled.wrappedBuffer(Http2CodecUtil.connectionPrefaceBuf()));
        decoder.onClientBytes(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 0, 0, 0, 0, 1}));
        decoder.onClientBytes(Unpooled.wrappedBuffer(new byte[100]));
        assertThat(decoder.stopped()).isTrue();
        assertThat(reasons).hasSize(1);
    }
}
