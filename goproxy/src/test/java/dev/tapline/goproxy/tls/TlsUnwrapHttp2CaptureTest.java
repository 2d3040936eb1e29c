package dev.tapline.goproxy.tls;

import static dev.tapline.goproxy.support.GrpcEcho.STREAM;
import static dev.tapline.goproxy.support.GrpcEcho.UNARY;
import static dev.tapline.goproxy.support.GrpcEcho.messages;
import static dev.tapline.goproxy.support.GrpcEcho.msg;
import static dev.tapline.goproxy.support.GrpcEcho.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.support.CapturedExchanges;
import dev.tapline.goproxy.support.GrpcEcho;
import dev.tapline.goproxy.support.TestCerts;
import dev.tapline.goproxy.support.TlsHttpBackend;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.vertx.core.Vertx;

/**
 * h2 negotiated by ALPN on a connection goproxy unwraps (TLS_IN_UNWRAP): the relay's real capture taps decode the
 * plaintext behind the TLS as HTTP/2, one capture per stream. Real clients (curl, grpc-java) over real TLS to
 * real TLS apps (Vert.x's HTTPS server, a grpc-java server), each with its own certificate.
 */
class TlsUnwrapHttp2CaptureTest {
    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();
    private final CapturedExchanges captured = new CapturedExchanges();
    private TestCerts publicCa;
    private TestCerts.Leaf appLeaf;
    private TlsUnwrap unwrap;
    private RelayServer relay;
    private AutoCloseable app;

    @BeforeEach
    void certificates() throws Exception {
        publicCa = TestCerts.ca(dir, "public");
        appLeaf = TestCerts.ca(dir, "app").leaf("shop.test");
    }

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.drain(Duration.ZERO);
        }
        if (app != null) {
            app.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private void startRelay(int appPort) throws Exception {
        TestCerts.Leaf shown = publicCa.leaf("shop.test");
        unwrap = TlsUnwrap.create(new TlsSettings(shown.writeChain("shop"), shown.writePkcs8("shop"), true, null,
                Duration.ofSeconds(10)), new TlsStats());
        relay = new RelayServer(vertx, new RelaySettings("127.0.0.1", 0, "127.0.0.1", appPort, Duration.ofMinutes(1),
                Duration.ofSeconds(5), 2), captured.taps(), new RelayStats(), unwrap);
        relay.start(Duration.ofSeconds(20));
    }

    @Test
    void curlOverHttp2IsDecodedStreamByStreamWithTheTlsOnTheConnection() throws Exception {
        TlsHttpBackend backend = new TlsHttpBackend(appLeaf.writeChain("app"), appLeaf.writePkcs8("app"), true);
        app = backend;
        startRelay(backend.port());
        String base = "https://shop.test:" + relay.port();
        List<String> tls = List.of("-sS", "--max-time", "20", "--http2", "--cacert", publicCa.caFile().toString(),
                "--resolve", "shop.test:" + relay.port() + ":127.0.0.1");
        List<String> cmd = new ArrayList<>(List.of("curl"));
        cmd.addAll(tls);
        cmd.add(base + "/hello?x=1");
        cmd.add("--next"); // a second request on the same connection, with its own options
        cmd.addAll(tls);
        cmd.addAll(List.of("--data-binary", "h2 over tls", base + "/echo"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo(TlsHttpBackend.BODY + "h2 over tls");

        List<Http2StreamRecord> streams = captured.awaitStreams(2);
        assertThat(streams).extracting(Http2StreamRecord::streamId).containsExactly(1, 3); // one connection
        Http2StreamRecord get = streams.get(0);
        assertThat(get.scheme()).isEqualTo("https");
        assertThat(get.authority()).isEqualTo("shop.test:" + relay.port());
        assertThat(get.grpc()).isFalse();
        HttpExchangeRecord x = get.exchange();
        assertThat(x.request().method()).isEqualTo("GET");
        assertThat(x.request().target()).isEqualTo("/hello?x=1");
        assertThat(x.request().version()).isEqualTo("HTTP/2.0");
        assertThat(x.response().statusCode()).isEqualTo(200);
        assertThat(x.response().header("x-backend-version")).isEqualTo("HTTP_2");
        assertThat(new String(x.response().body(), StandardCharsets.UTF_8)).isEqualTo(TlsHttpBackend.BODY);
        HttpExchangeRecord echo = streams.get(1).exchange();
        assertThat(echo.request().method()).isEqualTo("POST");
        assertThat(new String(echo.request().body(), StandardCharsets.UTF_8)).isEqualTo("h2 over tls");
        assertThat(new String(echo.response().body(), StandardCharsets.UTF_8)).isEqualTo("h2 over tls");
        assertThat(captured.http2).allSatisfy(c -> {
            assertThat(c.connection().tls().unwrapped()).isTrue();
            assertThat(c.connection().tls().alpn()).isEqualTo("h2");
            assertThat(c.connection().tls().sni()).isEqualTo("shop.test");
        });
        assertThat(captured.http).isEmpty();
        assertThat(captured.connections).isEmpty();
        assertThat(captured.stats.decoderGiveUps.sum()).isZero();
    }

    @Test
    void grpcJavaOverTlsUnaryAndServerStreamingAreGrpcCapturesWithTheirMessages() throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcSslContexts.forServer(appLeaf.writeChain("app").toFile(), appLeaf.writePkcs8("app").toFile())
                        .build())
                .addService(GrpcEcho.service()).build().start();
        app = () -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        startRelay(server.getPort());
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", relay.port()).overrideAuthority("shop.test")
                .sslContext(GrpcSslContexts.forClient().trustManager(publicCa.caFile().toFile()).build()).build();
        try {
            assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, msg("tls-1")).getProxyId())
                    .isEqualTo("echo:tls-1");
            List<String> streamed = new ArrayList<>();
            ClientCalls.blockingServerStreamingCall(channel, STREAM, CallOptions.DEFAULT, msg("s"))
                    .forEachRemaining(m -> streamed.add(m.getProxyId()));
            assertThat(streamed).containsExactly("s-0", "s-1", "s-2");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        List<Http2StreamRecord> streams = captured.awaitStreams(2);
        assertThat(streams).allSatisfy(s -> {
            assertThat(s.grpc()).isTrue();
            assertThat(s.scheme()).isEqualTo("https");
            assertThat(s.authority()).isEqualTo("shop.test");
            assertThat(s.exchange().request().method()).isEqualTo("POST");
            assertThat(s.exchange().response().statusCode()).isEqualTo(200);
            assertThat(s.exchange().response().trailers()).contains(new HttpHeader("grpc-status", "0"));
        });
        HttpExchangeRecord unary = streams.get(0).exchange();
        assertThat(unary.request().target()).isEqualTo("/test.Echo/Unary");
        assertThat(messages(unary.request().body())).singleElement().satisfies(m -> assertThat(parse(m)).isEqualTo(msg("tls-1")));
        assertThat(messages(unary.response().body())).singleElement()
                .satisfies(m -> assertThat(parse(m)).isEqualTo(msg("echo:tls-1")));
        HttpExchangeRecord stream = streams.get(1).exchange();
        assertThat(stream.request().target()).isEqualTo("/test.Echo/Stream");
        List<String> answers = new ArrayList<>();
        for (byte[] m : messages(stream.response().body())) {
            answers.add(parse(m).getProxyId());
        }
        assertThat(answers).containsExactly("s-0", "s-1", "s-2");
        assertThat(captured.http2).allSatisfy(c -> assertThat(c.connection().tls().alpn()).isEqualTo("h2"));
        assertThat(captured.stats.decoderGiveUps.sum()).isZero();
    }
}
