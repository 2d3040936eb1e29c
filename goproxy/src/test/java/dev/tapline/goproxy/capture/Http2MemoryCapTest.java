package dev.tapline.goproxy.capture;

import static dev.tapline.goproxy.support.GrpcEcho.UNARY;
import static dev.tapline.goproxy.support.GrpcEcho.msg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.common.util.concurrent.ListenableFuture;

import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.goproxy.capture.http2.Http2Decoder;
import dev.tapline.goproxy.capture.http2.Http2Limits;
import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.support.GrpcEcho;
import dev.tapline.goproxy.support.Http2OnlySink;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.vertx.core.Vertx;

/**
 * CAPTURE_H2_CONNECTION_BYTES with a real grpc-java client and server through the relay and capture tap: a
 * connection whose open streams hold less than the cap at any time is decoded however much passes through it;
 * one whose concurrent streams would hold more stops being decoded, is counted, and its calls all still succeed.
 */
class Http2MemoryCapTest {
    private static final int BODY_CAP = 64 * 1024;
    private static final long CONNECTION_CAP = 256 * 1024;
    /** A message of about 100 KB: each call keeps BODY_CAP bytes each way while it is open. */
    private static final String BIG = "x".repeat(100_000);

    private final Vertx vertx = Vertx.vertx();
    private final CaptureStats stats = new CaptureStats();
    private final Http2OnlySink sink = new Http2OnlySink();
    private final Queue<Http2StreamRecord> streams = sink.streams();
    private Server server;
    private RelayServer relay;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(GrpcEcho.service())
                .build().start();
        Map<DetectedProtocol, DecoderFactory> decoders = Map.of(DetectedProtocol.HTTP2,
                Http2Decoder.factory(new Http2Limits(BODY_CAP, 65_536, CONNECTION_CAP)));
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

    private static HeartbeatRequest big(String id) {
        return msg(id + BIG);
    }

    @Test
    void callsOneAfterAnotherGiveBackWhatTheyHeldSoFarMoreThanTheCapIsDecoded() {
        int calls = 20; // 20 x 128 KiB kept in all: ten times the cap, never more than half of it at once
        for (int i = 0; i < calls; i++) {
            HeartbeatRequest answer = ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, big("s" + i));
            assertThat(answer.getProxyId()).isEqualTo("echo:s" + i + BIG);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> streams.size() >= calls);
        assertThat(streams).hasSize(calls).allSatisfy(s -> {
            assertThat(s.incomplete()).isFalse();
            assertThat(s.exchange().request().bodyTruncated()).isTrue();
            assertThat(s.exchange().request().body()).hasSize(BODY_CAP);
            assertThat(s.exchange().response().trailers()).contains(new HttpHeader("grpc-status", "0"));
        });
        assertThat(stats.decoderMemoryCapped.sum()).isZero();
        assertThat(stats.decoderGiveUps.sum()).isZero();
    }

    @Test
    void concurrentCallsHoldingMoreThanTheCapStopTheDecodingCountedWhileEveryCallSucceeds() throws Exception {
        int calls = 10; // up to 10 x 128 KiB open at once: five times the cap
        List<ListenableFuture<HeartbeatRequest>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            futures.add(ClientCalls.futureUnaryCall(channel.newCall(UNARY, CallOptions.DEFAULT), big("c" + i)));
        }
        for (int i = 0; i < calls; i++) {
            assertThat(futures.get(i).get(20, TimeUnit.SECONDS).getProxyId()).isEqualTo("echo:c" + i + BIG);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> stats.decoderMemoryCapped.sum() == 1);
        assertThat(stats.decoderGiveUps.sum()).isEqualTo(1);
        // the streams open when it stopped are flushed as incomplete, each captured once
        assertThat(streams).extracting(Http2StreamRecord::streamId).doesNotHaveDuplicates();
        assertThat(streams).filteredOn(Http2StreamRecord::incomplete).isNotEmpty()
                .allSatisfy(s -> assertThat(s.exchange().decoderGaveUp()).isTrue());

        // the connection goes on, relayed undecoded: later calls on it succeed and are not captured
        int before = streams.size();
        assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, msg("after")).getProxyId())
                .isEqualTo("echo:after");
        Thread.sleep(200);
        assertThat(streams).hasSize(before);
        assertThat(stats.decoderMemoryCapped.sum()).isEqualTo(1);
    }
}
