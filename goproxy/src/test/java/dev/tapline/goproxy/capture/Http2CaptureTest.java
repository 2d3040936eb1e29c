package dev.tapline.goproxy.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.http2.Http2Decoder;
import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.support.H2cApp;
import dev.tapline.goproxy.support.Http2OnlySink;
import io.vertx.core.Vertx;

/** h2c with prior knowledge through the real relay and capture tap: curl and nghttp against a real h2c app. */
class Http2CaptureTest {
    private static final int BODY_CAP = 1024;

    private final Vertx vertx = Vertx.vertx();
    private final CaptureStats stats = new CaptureStats();
    private final Http2OnlySink sink = new Http2OnlySink();
    private final Queue<Http2StreamRecord> streams = sink.streams();
    private final Queue<ConnectionCapture> connections = sink.connections();
    private H2cApp app;
    private RelayServer relay;

    @BeforeEach
    void start() throws Exception {
        app = new H2cApp(vertx);
        Map<DetectedProtocol, DecoderFactory> decoders = Map.of(DetectedProtocol.HTTP2, Http2Decoder.factory(BODY_CAP, 65_536));
        relay = new RelayServer(vertx, new RelaySettings("127.0.0.1", 0, "127.0.0.1", app.port(), Duration.ofMinutes(1),
                Duration.ofSeconds(2), 2), c -> new CaptureTap(c, decoders, sink, stats), new RelayStats());
        relay.start(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        relay.drain(Duration.ZERO);
        app.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + relay.port() + path;
    }

    @Test
    void curlRequestsAreOneCaptureEachWithHeadersBodiesAndTrailers() throws Exception {
        // one request per curl: curl 7.88 fails reusing a prior-knowledge connection, with or without goproxy
        assertThat(run("curl", "-sS", "--http2-prior-knowledge", "-H", "x-dup: 1", "-H", "x-dup: 2", url("/hello/1")))
                .isEqualTo("hello 1");
        Http2StreamRecord first = awaitStreams(1).get(0);
        assertThat(first.streamId()).isEqualTo(1);
        assertThat(first.grpc()).isFalse();
        assertThat(first.authority()).isEqualTo("127.0.0.1:" + relay.port());
        assertThat(first.scheme()).isEqualTo("http");
        HttpExchangeRecord x = first.exchange();
        assertThat(x.request().method()).isEqualTo("GET");
        assertThat(x.request().target()).isEqualTo("/hello/1");
        assertThat(x.request().version()).isEqualTo("HTTP/2.0");
        assertThat(x.request().headers()).containsSubsequence(new HttpHeader("x-dup", "1"), new HttpHeader("x-dup", "2"));
        assertThat(x.request().headers()).noneMatch(h -> h.name().startsWith(":"));
        assertThat(x.response().statusCode()).isEqualTo(200);
        assertThat(x.response().header("x-n")).isEqualTo("1");
        assertThat(new String(x.response().body(), StandardCharsets.UTF_8)).isEqualTo("hello 1");
        assertThat(x.response().complete()).isTrue();
        assertThat(x.responseEndNanos()).isGreaterThanOrEqualTo(x.requestStartNanos());
        assertThat(first.reset() || first.incomplete() || first.pushed()).isFalse();

        assertThat(run("curl", "-sS", "--http2-prior-knowledge", "-d", "ping-body", url("/echo"))).isEqualTo("ping-body");
        HttpExchangeRecord echo = awaitStreams(2).get(1).exchange();
        assertThat(echo.request().method()).isEqualTo("POST");
        assertThat(new String(echo.request().body(), StandardCharsets.UTF_8)).isEqualTo("ping-body");
        assertThat(new String(echo.response().body(), StandardCharsets.UTF_8)).isEqualTo("ping-body");
        assertThat(echo.response().trailers()).containsExactly(new HttpHeader("x-sum", "9"));
        assertThat(connections).isEmpty();
        assertThat(stats.decoderGiveUps.sum()).isZero();
    }

    @Test
    void aBodyOverTheCapIsTruncatedWithItsRealSizeWhileTheClientGetsEveryByte() throws Exception {
        int size = 200_000; // many DATA frames, cut by reads at arbitrary offsets
        byte[] body = runBytes("curl", "-sS", "--http2-prior-knowledge", url("/big/" + size));
        assertThat(body).hasSize(size);
        for (int i = 0; i < size; i++) {
            if (body[i] != H2cApp.bigByte(i)) {
                throw new AssertionError("byte " + i + " differs");
            }
        }
        HttpResponseRecord response = awaitStreams(1).get(0).exchange().response();
        assertThat(response.bodySize()).isEqualTo(size);
        assertThat(response.bodyTruncated()).isTrue();
        assertThat(response.body()).hasSize(BODY_CAP);
        assertThat(response.body()[BODY_CAP - 1]).isEqualTo(H2cApp.bigByte(BODY_CAP - 1));
    }

    @Test
    void hundredConcurrentStreamsFromNghttpAreEachCapturedOnce() throws Exception {
        String out = run("nghttp", "-n", "-s", "-m", "100", url("/hello/7"));
        assertThat(out).contains("200");
        List<Http2StreamRecord> captured = awaitStreams(100);
        assertThat(captured).extracting(Http2StreamRecord::streamId).doesNotHaveDuplicates().hasSize(100);
        assertThat(captured).allSatisfy(s -> {
            assertThat(s.exchange().request().target()).isEqualTo("/hello/7");
            assertThat(new String(s.exchange().response().body(), StandardCharsets.UTF_8)).isEqualTo("hello 7");
        });
        Thread.sleep(200);
        assertThat(streams).hasSize(100);
    }

    @Test
    void aStreamTheAppResetsIsCapturedWithTheErrorCode() throws Exception {
        run("curl", "-s", "--http2-prior-knowledge", url("/reset"));
        Http2StreamRecord s = awaitStreams(1).get(0);
        assertThat(s.reset()).isTrue();
        assertThat(s.resetByApp()).isTrue();
        assertThat(s.resetErrorCode()).isEqualTo(8);
        assertThat(s.exchange().request().target()).isEqualTo("/reset");
    }

    @Test
    void aPushedStreamIsItsOwnCaptureFlaggedPushed() throws Exception {
        run("nghttp", "-n", url("/push"));
        List<Http2StreamRecord> captured = awaitStreams(2);
        Http2StreamRecord pushed = captured.stream().filter(Http2StreamRecord::pushed).findFirst().orElseThrow();
        assertThat(pushed.streamId() % 2).isZero();
        Http2StreamRecord page = captured.stream().filter(s -> !s.pushed()).findFirst().orElseThrow();
        assertThat(pushed.promisedOnStreamId()).isEqualTo(page.streamId()); // nghttp's first request is not stream 1
        assertThat(pushed.exchange().request().target()).isEqualTo("/pushed");
        assertThat(new String(pushed.exchange().response().body(), StandardCharsets.UTF_8)).isEqualTo("pushed body");
        assertThat(new String(page.exchange().response().body(), StandardCharsets.UTF_8)).isEqualTo("page");
    }

    private List<Http2StreamRecord> awaitStreams(int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> streams.size() >= n);
        List<Http2StreamRecord> list = new ArrayList<>(streams);
        list.sort((a, b) -> Integer.compare(a.streamId(), b.streamId()));
        return list;
    }

    static String run(String... command) throws IOException, InterruptedException {
        return new String(runBytes(command), StandardCharsets.UTF_8);
    }

    static byte[] runBytes(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish");
        }
        return out;
    }
}
