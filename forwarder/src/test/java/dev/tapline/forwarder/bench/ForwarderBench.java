package dev.tapline.forwarder.bench;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.forwarder.store.StoreWriter;
import dev.tapline.forwarder.store.StoredCapture;
import dev.tapline.forwarder.testing.Captures;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Measures the two performance goals of the forwarder and prints the figures:
 * <ol>
 *   <li>stored captures per second over gRPC, 1 KiB exchanges, batches of 1024, 8 unacked batches per stream (as
 *       goproxy sends them), every ack only after the durable commit;</li>
 *   <li>"newest 100 captures of one app" through the read API with 1,000,000 captures stored.</li>
 * </ol>
 * Excluded from the normal build; run it with
 * {@code ./mvnw -B test -pl forwarder -Dtest=ForwarderBench -Dtapline.excludedGroups=none}.
 */
@Tag("bench")
@QuarkusTest
@TestProfile(BenchProfile.class)
class ForwarderBench {
    private static final int BATCH = 1024;
    private static final int UNACKED = 8;
    private static final int STREAMS = 2;
    private static final int WARMUP = 40_000;
    private static final int MEASURED = 200_000;
    private static final int STORED_TOTAL = 1_000_000;
    private static final int APPS = 20;

    @GrpcClient("forwarder")
    Channel channel;
    @Inject
    StoreWriter writer;

    @Test
    void uploadThroughputThenQueryLatencyAtOneMillion() throws Exception {
        upload("warm", WARMUP);
        long start = System.nanoTime();
        upload("run", MEASURED);
        double seconds = (System.nanoTime() - start) / 1e9;
        double perSecond = MEASURED / seconds;
        System.out.printf("BENCH upload: %d captures of ~1 KiB stored and acked in %.2f s = %.0f captures/s"
                + " (%d streams, batches of %d, %d unacked per stream)%n", MEASURED, seconds, perSecond, STREAMS,
                BATCH, UNACKED);

        long fillStart = System.nanoTime();
        fill(STORED_TOTAL - WARMUP - MEASURED);
        System.out.printf("BENCH fill: %d more captures written through the store writer in %.1f s%n",
                STORED_TOTAL - WARMUP - MEASURED, (System.nanoTime() - fillStart) / 1e9);

        double newest = latency("/api/v1/captures?app=app-7&limit=100", 100);
        double errors = latency("/api/v1/captures?app=app-7&status=5xx&limit=100", 100);
        double path = latency("/api/v1/captures?app=app-3&path=/orders/9&limit=100", 100);
        double all = latency("/api/v1/captures?limit=100", 100);
        double thousand = latency("/api/v1/captures?app=app-7&limit=1000", 20);
        System.out.printf("BENCH query with %d captures stored, median over 50 calls:"
                + " newest 100 of one app %.1f ms, 5xx of one app %.1f ms, path substring %.1f ms,"
                + " newest 100 of all %.1f ms, newest 1000 of one app %.1f ms%n", STORED_TOTAL, newest, errors, path,
                all, thousand);

        assertThat(perSecond).as("stored captures per second").isGreaterThanOrEqualTo(20_000);
        assertThat(newest).as("newest 100 of one app, ms").isLessThan(50);
    }

    /** Sends {@code count} captures on STREAMS streams, each from its own proxy; returns when all are acked. */
    private void upload(String run, int count) throws Exception {
        List<CompletableFuture<Void>> streams = new ArrayList<>();
        for (int s = 0; s < STREAMS; s++) {
            String proxy = run + "-pod-" + s;
            ForwarderGrpc.newBlockingStub(channel).register(RegisterRequest.newBuilder().setProxy(ProxyIdentity
                    .newBuilder().setProxyId(proxy).setAppLabel("app-" + s)).build());
            streams.add(stream(proxy, count / STREAMS));
        }
        CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    }

    private CompletableFuture<Void> stream(String proxy, int count) {
        Capture template = Captures.kib("t", proxy, 0).build();
        long t0 = System.currentTimeMillis() * 1_000_000L;
        IntFunction<UploadBatch> batch = n -> {
            UploadBatch.Builder b = UploadBatch.newBuilder().setBatchId(n).setProxyId(proxy);
            for (int i = n * BATCH; i < Math.min(count, (n + 1) * BATCH); i++) {
                b.addCaptures(template.toBuilder().setId(proxy + "-" + i).setRequestStartUnixNanos(t0 + i)
                        .setResponseEndUnixNanos(t0 + i + 1_000_000));
            }
            return b.build();
        };
        return BenchUpload.send(ForwarderGrpc.newStub(channel), (count + BATCH - 1) / BATCH, batch, UNACKED, 0)
                .thenAccept(stored -> assertThat(stored).isEqualTo(count));
    }

    /** Writes rows straight to the store writer (no gRPC), spread over APPS apps, to reach a large store fast. */
    private void fill(int count) throws Exception {
        byte[] record = Captures.kib("fill", "fill-pod", 0).build().toByteArray();
        long t0 = System.currentTimeMillis() * 1_000_000L - count * 1_000_000L;
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int first = 0; first < count; first += 5000) {
            List<StoredCapture> rows = new ArrayList<>(5000);
            for (int i = first; i < Math.min(count, first + 5000); i++) {
                int status = i % 50 == 0 ? 503 : 200;
                rows.add(new StoredCapture("fill-" + i, t0 + i * 1_000_000L, "fill-pod-" + (i % APPS),
                        "app-" + (i % APPS), "fill-pod-" + (i % APPS), "bench", "GET", status, "/orders/" + i,
                        Arrays.copyOf(record, record.length)));
            }
            pending.add(writer.write(rows));
            if (pending.size() >= 8) {
                pending.remove(0).get(5, TimeUnit.MINUTES);
            }
        }
        for (CompletableFuture<?> f : pending) {
            f.get(5, TimeUnit.MINUTES);
        }
    }

    /** Median milliseconds of {@code path} over 50 calls, after {@code warmup} unmeasured ones. */
    private static double latency(String path, int warmup) {
        for (int i = 0; i < warmup / 2; i++) {
            given().get(path).then().statusCode(200);
        }
        double[] ms = new double[50];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            given().get(path).then().statusCode(200);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }
}
