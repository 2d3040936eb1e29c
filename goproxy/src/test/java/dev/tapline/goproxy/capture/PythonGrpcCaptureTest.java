package dev.tapline.goproxy.capture;

import static dev.tapline.goproxy.support.GrpcEcho.messages;
import static dev.tapline.goproxy.support.GrpcEcho.msg;
import static dev.tapline.goproxy.support.GrpcEcho.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.support.CapturedExchanges;
import dev.tapline.goproxy.support.GrpcEcho;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.vertx.core.Vertx;

/**
 * Python's grpcio (Debian's python3-grpcio, C core: another HTTP/2 and HPACK implementation than Java's) as a real
 * client through the relay and the capture taps goproxy runs, against a grpc-java server. The client sends and
 * reads raw message bytes (no generated Python code): the test serializes them with the Java classes.
 */
class PythonGrpcCaptureTest {
    /** Debian's interpreter, the one python3-grpcio installs into (a python3 earlier on PATH may lack it). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final String CLIENT = String.join("\n",
            "import sys, grpc",
            "target, request = sys.argv[1], bytes.fromhex(sys.argv[2])",
            "with grpc.insecure_channel(target) as channel:",
            "    print(channel.unary_unary('/test.Echo/Unary')(request, timeout=20).hex())",
            "    for answer in channel.unary_stream('/test.Echo/Stream')(request, timeout=20):",
            "        print(answer.hex())");

    private final Vertx vertx = Vertx.vertx();
    private final CapturedExchanges captured = new CapturedExchanges();
    private Server server;
    private RelayServer relay;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(GrpcEcho.service())
                .build().start();
        relay = new RelayServer(vertx, new RelaySettings("127.0.0.1", 0, "127.0.0.1", server.getPort(),
                Duration.ofMinutes(1), Duration.ofSeconds(2), 2), captured.taps(), new RelayStats());
        relay.start(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        relay.drain(Duration.ZERO);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void aUnaryAndAServerStreamingCallFromGrpcioAreGrpcCapturesWithTheirMessages() throws Exception {
        HexFormat hex = HexFormat.of();
        Process p = new ProcessBuilder(PYTHON, "-c", CLIENT, "127.0.0.1:" + relay.port(), hex.formatHex(msg("py").toByteArray()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        List<String> answers = new ArrayList<>();
        for (String line : lines) {
            answers.add(HeartbeatRequest.parseFrom(hex.parseHex(line)).getProxyId());
        }
        assertThat(answers).containsExactly("echo:py", "py-0", "py-1", "py-2");

        List<Http2StreamRecord> streams = captured.awaitStreams(2);
        assertThat(streams).allSatisfy(s -> {
            assertThat(s.grpc()).isTrue();
            assertThat(s.scheme()).isEqualTo("http");
            assertThat(s.authority()).isEqualTo("127.0.0.1:" + relay.port());
            assertThat(s.exchange().request().method()).isEqualTo("POST");
            assertThat(s.exchange().request().header("user-agent")).contains("grpc-python");
            assertThat(s.exchange().response().statusCode()).isEqualTo(200);
            assertThat(s.exchange().response().trailers()).contains(new HttpHeader("grpc-status", "0"));
            assertThat(s.reset() || s.incomplete()).isFalse();
            assertThat(messages(s.exchange().request().body())).singleElement()
                    .satisfies(m -> assertThat(parse(m)).isEqualTo(msg("py")));
        });
        HttpExchangeRecord unary = streams.get(0).exchange();
        assertThat(unary.request().target()).isEqualTo("/test.Echo/Unary");
        assertThat(messages(unary.response().body())).singleElement()
                .satisfies(m -> assertThat(parse(m).getProxyId()).isEqualTo("echo:py"));
        HttpExchangeRecord stream = streams.get(1).exchange();
        assertThat(stream.request().target()).isEqualTo("/test.Echo/Stream");
        List<String> streamed = new ArrayList<>();
        for (byte[] m : messages(stream.response().body())) {
            streamed.add(parse(m).getProxyId());
        }
        assertThat(streamed).containsExactly("py-0", "py-1", "py-2");
        assertThat(captured.http).isEmpty();
        assertThat(captured.stats.decoderGiveUps.sum()).isZero();
    }
}
