package dev.tapline.goproxy.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.support.CapturedExchanges;
import dev.tapline.goproxy.support.H2cApp;
import dev.tapline.goproxy.support.HttpBackend;
import io.vertx.core.Vertx;

/**
 * h2c reached by an HTTP/1.1 {@code Upgrade: h2c} request (RFC 7540 §3.2), through the real relay and the capture
 * taps goproxy runs: the 101 exchange is an HTTP/1 capture as before, then every stream is an HTTP/2 capture, stream
 * 1 being the answer to the upgraded request, both its sides HTTP/2.0 (its request in HTTP/2 form). Real clients (curl --http2 and nghttp -u over http://) against a
 * real app that accepts the upgrade (Vert.x's HTTP server with h2c on).
 */
class H2cUpgradeCaptureTest {
    private final Vertx vertx = Vertx.vertx();
    private final CapturedExchanges captured = new CapturedExchanges();
    private H2cApp app;
    private RelayServer relay;

    @BeforeEach
    void start() throws Exception {
        app = new H2cApp(vertx);
        relay = new RelayServer(vertx, new RelaySettings("127.0.0.1", 0, "127.0.0.1", app.port(), Duration.ofMinutes(1),
                Duration.ofSeconds(2), 2), captured.taps(), new RelayStats());
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
    void curlsUpgradeIsThe101ExchangeThenStreamOneWithTheAnswerToTheUpgradedRequest() throws Exception {
        String out = Http2CaptureTest.run("curl", "-sS", "--http2", "-D", "-", "-H", "x-trace: up-1", url("/hello/3"));
        assertThat(out).startsWith("HTTP/1.1 101").contains("HTTP/2 200").endsWith("hello 3");

        Http2StreamRecord s = captured.awaitStreams(1).get(0);
        assertThat(s.streamId()).isEqualTo(1);
        assertThat(s.scheme()).isEqualTo("http");
        assertThat(s.authority()).isEqualTo("127.0.0.1:" + relay.port());
        HttpExchangeRecord x = s.exchange();
        assertThat(x.request().method()).isEqualTo("GET");
        assertThat(x.request().target()).isEqualTo("/hello/3");
        assertThat(x.request().version()).as("stream 1 is an HTTP/2 stream, its request half-closed (RFC 7540 §3.2)")
                .isEqualTo("HTTP/2.0");
        assertThat(x.response().version()).isEqualTo("HTTP/2.0");
        assertThat(x.request().headers()).extracting(HttpHeader::name)
                .as("HTTP/2 form: lowercase names, no connection-specific field (RFC 9113 §8.2)")
                .contains("host", "user-agent", "x-trace").allMatch(n -> n.equals(n.toLowerCase(java.util.Locale.ROOT)))
                .doesNotContain("connection", "upgrade", "http2-settings");
        assertThat(x.request().header("x-trace")).isEqualTo("up-1");
        assertThat(x.request().header("host")).isEqualTo(s.authority());
        assertThat(x.response().statusCode()).isEqualTo(200);
        assertThat(x.response().header("x-n")).isEqualTo("3");
        assertThat(new String(x.response().body(), StandardCharsets.UTF_8)).isEqualTo("hello 3");
        assertThat(x.response().complete()).isTrue();
        assertThat(s.reset() || s.incomplete() || s.pushed()).isFalse();

        assertThat(captured.http).singleElement().satisfies(h -> {
            HttpExchangeRecord upgrade = h.exchange();
            assertThat(upgrade.request().target()).isEqualTo("/hello/3");
            assertThat(upgrade.request().version()).as("the request as sent is the 101 exchange's").isEqualTo("HTTP/1.1");
            assertThat(upgrade.request().header("Upgrade")).isEqualTo("h2c");
            assertThat(upgrade.request().header("HTTP2-Settings")).isNotNull();
            assertThat(upgrade.response().version()).isEqualTo("HTTP/1.1");
            assertThat(upgrade.response().statusCode()).isEqualTo(101);
            assertThat(upgrade.upgraded()).isTrue();
            assertThat(x.sequence()).as("streams follow the 101 exchange").isEqualTo(upgrade.sequence() + 1);
            assertThat(h.connection().cid()).isEqualTo(captured.http2.peek().connection().cid());
        });
        assertThat(captured.connections).isEmpty();
        assertThat(captured.stats.decoderGiveUps.sum()).isZero();
    }

    @Test
    void nghttpUpgradesThenSendsMoreStreamsOnTheSameConnectionEachCapturedOnce() throws Exception {
        String out = Http2CaptureTest.run("nghttp", "-u", "-n", "-s", url("/hello/1"), url("/hello/2"), url("/echo"));
        assertThat(out).contains("200");
        List<Http2StreamRecord> streams = captured.awaitStreams(3);
        assertThat(streams).extracting(Http2StreamRecord::streamId).doesNotHaveDuplicates().contains(1);
        assertThat(streams.get(0).exchange().request().target()).isEqualTo("/hello/1");
        assertThat(streams.get(0).exchange().request().version()).isEqualTo("HTTP/2.0");
        assertThat(streams.get(0).exchange().response().version()).isEqualTo("HTTP/2.0");
        assertThat(streams).extracting(s -> s.exchange().request().target())
                .containsExactlyInAnyOrder("/hello/1", "/hello/2", "/echo");
        assertThat(streams).extracting(s -> s.exchange().response().statusCode()).containsOnly(200);
        Http2StreamRecord second = streams.stream().filter(s -> s.exchange().request().target().equals("/hello/2"))
                .findFirst().orElseThrow();
        assertThat(second.streamId()).isOdd().isGreaterThan(1);
        assertThat(second.exchange().request().version()).isEqualTo("HTTP/2.0");
        assertThat(new String(second.exchange().response().body(), StandardCharsets.UTF_8)).isEqualTo("hello 2");
        assertThat(captured.http).singleElement()
                .satisfies(h -> assertThat(h.exchange().response().statusCode()).isEqualTo(101));
        Thread.sleep(200);
        assertThat(captured.http2).hasSize(3);
        assertThat(captured.stats.decoderGiveUps.sum()).isZero();
    }

    @Test
    void anUpgradeAnHttp1AppIgnoresStaysHttp1() throws Exception {
        try (HttpBackend http1 = new HttpBackend()) { // HTTP/1.1 only: it ignores the Upgrade
            relay.drain(Duration.ZERO);
            relay = new RelayServer(vertx, new RelaySettings("127.0.0.1", 0, "127.0.0.1", http1.port(),
                    Duration.ofMinutes(1), Duration.ofSeconds(2), 2), captured.taps(), new RelayStats());
            relay.start(Duration.ofSeconds(10));
            String out = Http2CaptureTest.run("curl", "-sS", "--http2", url("/plain"), url("/again"));
            assertThat(out).isEqualTo(HttpBackend.BODY + HttpBackend.BODY);
            await().atMost(Duration.ofSeconds(10)).until(() -> captured.http.size() == 2);
            assertThat(captured.http).allSatisfy(h -> {
                assertThat(h.exchange().response().statusCode()).isEqualTo(200);
                assertThat(h.exchange().upgraded()).isFalse();
            });
            assertThat(captured.http).extracting(h -> h.exchange().request().header("Upgrade")).contains("h2c");
            assertThat(captured.http2).isEmpty();
        }
    }
}
