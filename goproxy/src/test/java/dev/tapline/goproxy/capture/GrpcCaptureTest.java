package dev.tapline.goproxy.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static dev.tapline.goproxy.support.GrpcEcho.FAIL;
import static dev.tapline.goproxy.support.GrpcEcho.STREAM;
import static dev.tapline.goproxy.support.GrpcEcho.UNARY;
import static dev.tapline.goproxy.support.GrpcEcho.messages;
import static dev.tapline.goproxy.support.GrpcEcho.msg;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.goproxy.capture.http2.Http2Decoder;
import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.support.GrpcEcho;
import dev.tapline.goproxy.support.Http2OnlySink;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.vertx.core.Vertx;

/**
 * A real grpc-java client and server talking through the relay and capture tap: unary (plain and gzip both
 * ways), server streaming, an error status (trailers-only), many calls at once on one connection.
 */
class GrpcCaptureTest {
    private final Vertx vertx = Vertx.vertx();
    private final CaptureStats stats = new CaptureStats();
    private final Http2OnlySink sink = new Http2OnlySink();
    private final Queue<Http2StreamRecord> streams = sink.streams();
    private Server server;
    private RelayServer relay;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(GrpcEcho.service()).build().start();
        Map<DetectedProtocol, DecoderFactory> decoders = Map.of(DetectedProtocol.HTTP2, Http2Decoder.factory(65_536, 65_536));
        relay = new RelayServer(vertx, new RelaySettings("127.0.0.1", 0, "127.0.0.1", server.getPort(),
                Duration.ofMinutes(1), Duration.ofSeconds(2), 2), c -> new CaptureTap(c, decoders, sink, stats),
                new RelayStats());
        relay.start(Duration.ofSeconds(10));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", relay.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        relay.drain(Duration.ZERO);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private Http2StreamRecord awaitCall(String path) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> streams.stream().anyMatch(s -> s.exchange().request().target().equals(path)));
        return streams.stream().filter(s -> s.exchange().request().target().equals(path)).findFirst().orElseThrow();
    }

    @Test
    void aUnaryCallIsOneGrpcCaptureWithItsMessagesAndStatusTrailer() throws Exception {
        HeartbeatRequest answer = ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, msg("pod-1"));
        assertThat(answer.getProxyId()).isEqualTo("echo:pod-1");

        Http2StreamRecord call = awaitCall("/test.Echo/Unary");
        assertThat(call.grpc()).isTrue();
        HttpExchangeRecord x = call.exchange();
        assertThat(x.request().method()).isEqualTo("POST");
        assertThat(x.request().header("content-type")).startsWith("application/grpc");
        List<byte[]> sent = messages(x.request().body());
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)[0]).isZero();
        assertThat(HeartbeatRequest.parseFrom(java.util.Arrays.copyOfRange(sent.get(0), 5, sent.get(0).length)))
                .isEqualTo(msg("pod-1"));
        assertThat(x.response().statusCode()).isEqualTo(200);
        assertThat(HeartbeatRequest.parseFrom(java.util.Arrays.copyOfRange(x.response().body(), 5,
                x.response().body().length))).isEqualTo(answer);
        assertThat(x.response().trailers()).contains(new HttpHeader("grpc-status", "0"));
        assertThat(x.response().complete()).isTrue();
        assertThat(call.reset() || call.incomplete()).isFalse();
    }

    @Test
    void gzipMessagesBothWaysKeepTheirCompressedFlagAndEncoding() {
        HeartbeatRequest answer = ClientCalls.blockingUnaryCall(channel, UNARY,
                CallOptions.DEFAULT.withCompression("gzip"), msg("zipped").toBuilder().setSentAtUnixNanos(1).build());
        assertThat(answer.getProxyId()).isEqualTo("echo:zipped");
        HttpExchangeRecord x = awaitCall("/test.Echo/Unary").exchange();
        assertThat(x.request().header("grpc-encoding")).isEqualTo("gzip");
        assertThat(x.request().body()[0]).isEqualTo((byte) 1);
        assertThat(x.response().header("grpc-encoding")).isEqualTo("gzip");
        assertThat(x.response().body()[0]).isEqualTo((byte) 1);
    }

    @Test
    void aServerStreamingCallKeepsEveryResponseMessageInOrder() throws Exception {
        Iterator<HeartbeatRequest> it = ClientCalls.blockingServerStreamingCall(channel, STREAM, CallOptions.DEFAULT,
                msg("s"));
        List<String> got = new ArrayList<>();
        it.forEachRemaining(m -> got.add(m.getProxyId()));
        assertThat(got).containsExactly("s-0", "s-1", "s-2");
        List<byte[]> answers = messages(awaitCall("/test.Echo/Stream").exchange().response().body());
        assertThat(answers).hasSize(3);
        assertThat(HeartbeatRequest.parseFrom(java.util.Arrays.copyOfRange(answers.get(2), 5, answers.get(2).length))
                .getProxyId()).isEqualTo("s-2");
    }

    @Test
    void anErrorStatusArrivesTrailersOnlyAndIsCaptured() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, FAIL, CallOptions.DEFAULT, msg("x")))
                .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("NOT_FOUND");
        HttpExchangeRecord x = awaitCall("/test.Echo/Fail").exchange();
        assertThat(x.response().header("grpc-status")).isEqualTo("5");
        assertThat(x.response().header("grpc-message")).isEqualTo("no such proxy: x");
        assertThat(x.response().trailers()).isEmpty();
        assertThat(x.response().bodySize()).isZero();
        assertThat(x.response().complete()).isTrue();
    }

    @Test
    void twoHundredConcurrentCallsOnOneConnectionAreEachCapturedOnce() throws Exception {
        List<com.google.common.util.concurrent.ListenableFuture<HeartbeatRequest>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(ClientCalls.futureUnaryCall(channel.newCall(UNARY, CallOptions.DEFAULT), msg("c" + i)));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(calls.get(i).get(20, TimeUnit.SECONDS).getProxyId()).isEqualTo("echo:c" + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> streams.size() >= 200);
        Thread.sleep(200);
        assertThat(streams).hasSize(200);
        assertThat(streams).extracting(Http2StreamRecord::streamId).doesNotHaveDuplicates();
        assertThat(stats.decoderGiveUps.sum()).isZero();
    }
}
