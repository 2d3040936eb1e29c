package dev.tapline.forwarder.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.forwarder.testing.TempDirs;
import dev.tapline.testkit.KafkaBroker;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

/**
 * The forwarder's CPU per stored capture, with captures like deploy/bench's (wrk → goproxy → nginx, 13-byte
 * bodies; see {@link WrkCaptures}) sent over real gRPC as goproxy sends them (batches of 1024 or 1 MiB, 8 unacked per
 * stream). The forwarder is the packaged app in its own process ({@link ForwarderProcess}), so the CPU counted
 * is its own and not the sender's. Prints, per round, captures/s and forwarder CPU µs per stored capture (also
 * without the JIT compiler threads, which are still busy after the warm-up), then where the CPU went by thread.
 *
 * <pre>
 *   ./mvnw -B -o package -pl forwarder -DskipTests
 *   flock /tmp/tapline-bench.lock ./mvnw -B -o test -pl forwarder -Dtest=ForwarderCpuBench -Dtapline.excludedGroups=none
 * </pre>
 *
 * Options ({@code -D...}): {@code tapline.bench.rounds} (3), {@code tapline.bench.round-captures} (200000),
 * {@code tapline.bench.streams} (1, one proxy each), {@code tapline.bench.rate} (captures/s over all streams,
 * 0 = as fast as the acks allow), {@code tapline.bench.dlp} (false: WITH_DLP), {@code tapline.bench.batch}
 * (captures per batch; default as goproxy's), {@code tapline.bench.body-bytes} (13), {@code tapline.bench.warmup}
 * (600000), {@code tapline.bench.forwarder-jvm-args}, {@code tapline.bench.forwarder-jar} (see {@link ForwarderProcess}),
 * {@code tapline.bench.sink} ({@code store}; {@code kafka}: SINK=kafka to a real broker started here, whose CPU per
 * capture is printed apart, records in {@code tapline.bench.kafka-format} (json); then an indexer
 * ({@code INDEX_FROM_KAFKA=true}) consumes every record and its rate is printed, see {@link IndexerRate}).
 */
@Tag("bench")
class ForwarderCpuBench {
    private static final int MAX_BATCH = 1024;
    private static final int BATCH_BYTES = 1 << 20;
    private static final int UNACKED = 8;

    private final int rounds = Integer.getInteger("tapline.bench.rounds", 3);
    private final int roundCaptures = Integer.getInteger("tapline.bench.round-captures", 200_000);
    private final int streams = Integer.getInteger("tapline.bench.streams", 1);
    private final int rate = Integer.getInteger("tapline.bench.rate", 0);
    private final boolean dlp = Boolean.getBoolean("tapline.bench.dlp");
    private final int warmup = Integer.getInteger("tapline.bench.warmup", 600_000);
    private final int bodyBytes = Math.max(1,
            Integer.getInteger("tapline.bench.body-bytes", WrkCaptures.SMALL_BODY.length));
    // as goproxy's batches (CAPTURE_BATCH_RECORDS=1024, CAPTURE_BATCH_BYTES=1M): 1024 small captures, 16 of 64 KiB
    private final int batch = Math.max(1,
            Integer.getInteger("tapline.bench.batch", Math.min(MAX_BATCH, BATCH_BYTES / bodyBytes + 1)));

    private final boolean kafka = System.getProperty("tapline.bench.sink", "store").equals("kafka");
    private final String kafkaFormat = System.getProperty("tapline.bench.kafka-format", "json");

    @Test
    void cpuPerStoredCapture() throws Exception {
        Path dataDir = Path.of(TempDirs.create("cpu-bench"));
        Map<String, String> env = new HashMap<>(Map.of("WITH_DLP", String.valueOf(dlp)));
        try (KafkaBroker broker = kafka ? KafkaBroker.start() : null) {
            if (broker != null) {
                env.putAll(Map.of("SINK", "kafka", "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                        "KAFKA_FORMAT", kafkaFormat));
            }
            long published = cpuPerStoredCapture(dataDir, env, broker);
            if (broker != null) {
                IndexerRate.measure(broker, published);
            }
        }
    }

    /** The rounds; returns how many captures were sent in all (warm-up included). */
    private long cpuPerStoredCapture(Path dataDir, Map<String, String> env, KafkaBroker broker) throws Exception {
        try (ForwarderProcess forwarder = ForwarderProcess.start(dataDir, env)) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", forwarder.grpcPort()).usePlaintext()
                    .maxInboundMessageSize(16 << 20).build();
            try {
                List<WrkCaptures> proxies = register(channel);
                long sentInAll = upload(channel, proxies, warmup);
                Map<String, Double> threadsBefore = forwarder.cpuMicrosByThread();
                double totalCpu = 0;
                double totalSeconds = 0;
                long captures = 0;
                long written0 = forwarder.writtenBytes();
                double brokerCpu0 = broker == null ? 0 : ForwarderProcess.cpuMicrosOf(broker.pid());
                for (int r = 1; r <= rounds; r++) {
                    double cpu0 = forwarder.cpuMicros();
                    double jit0 = jitMicros(forwarder);
                    long t0 = System.nanoTime();
                    long sent = upload(channel, proxies, roundCaptures);
                    sentInAll += sent;
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double cpu = forwarder.cpuMicros() - cpu0;
                    totalCpu += cpu;
                    captures += sent;
                    totalSeconds += seconds;
                    long[] rss = forwarder.rssKib();
                    System.out.printf("BENCH cpu round %d: %d captures in %.2f s = %.0f stored captures/s,"
                            + " forwarder CPU %.1f µs per stored capture (%.1f without the JIT compiler, %.2f cores),"
                            + " RSS %.1f MiB (peak so far %.1f)%n",
                            r, sent, seconds, sent / seconds, cpu / sent,
                            (cpu - jitMicros(forwarder) + jit0) / sent, cpu / 1e6 / seconds, rss[0] / 1024.0,
                            rss[1] / 1024.0);
                }
                Map<String, Double> threadsAfter = forwarder.cpuMicrosByThread();
                double jit = jitMicros(threadsAfter) - jitMicros(threadsBefore);
                System.out.printf("BENCH cpu all rounds (sink %s, streams %d, rate %s, dlp %s, %d-byte bodies): %.0f stored"
                        + " captures/s, %.1f µs CPU per stored capture, %.1f without the JIT compiler, %.0f bytes written per"
                        + " capture%n", kafka ? "kafka " + kafkaFormat : "store", streams, rate == 0 ? "max" : rate, dlp, bodyBytes,
                        captures / totalSeconds,
                        totalCpu / captures, (totalCpu - jit) / captures,
                        (double) (forwarder.writtenBytes() - written0) / captures);
                printThreads(threadsBefore, threadsAfter, captures);
                if (broker != null) {
                    System.out.printf("BENCH cpu of the Kafka broker (same machine): %.1f µs per published capture%n",
                            (ForwarderProcess.cpuMicrosOf(broker.pid()) - brokerCpu0) / captures);
                }
                assertThat(totalCpu).isPositive();
                return sentInAll;
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            deleteStore(dataDir); // GBs after a run with large bodies
        }
    }

    private static void deleteStore(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private List<WrkCaptures> register(ManagedChannel channel) {
        List<WrkCaptures> proxies = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            String proxy = "bench-" + s;
            ForwarderGrpc.newBlockingStub(channel).register(RegisterRequest.newBuilder().setProxy(ProxyIdentity
                    .newBuilder().setProxyId(proxy).setAppLabel("bench").setPodName(proxy)).build());
            proxies.add(new WrkCaptures(proxy, bodyBytes));
        }
        return proxies;
    }

    /**
     * Sends at least {@code count} captures (whole batches) spread over the proxies, one stream each; returns when
     * all are acked, with the number sent.
     */
    private long upload(ManagedChannel channel, List<WrkCaptures> proxies, int count) throws Exception {
        int batches = Math.max(1, (count + proxies.size() * batch - 1) / (proxies.size() * batch));
        long nanosPerBatch = rate == 0 ? 0 : 1_000_000_000L * batch * proxies.size() / rate;
        List<CompletableFuture<Long>> done = new ArrayList<>();
        for (WrkCaptures proxy : proxies) {
            done.add(BenchUpload.send(ForwarderGrpc.newStub(channel), batches, i -> proxy.batch(batch), UNACKED,
                    nanosPerBatch));
        }
        for (CompletableFuture<Long> stream : done) {
            assertThat(stream.get(10, TimeUnit.MINUTES)).as("captures acked").isEqualTo((long) batches * batch);
        }
        return (long) batches * batch * proxies.size();
    }

    // C1/C2 threads ("C2 CompilerThread0"): still compiling after the warm-up on a busy 2-core machine, and close
    // to nothing in a forwarder that has run for a while
    private static double jitMicros(ForwarderProcess forwarder) {
        return jitMicros(forwarder.cpuMicrosByThread());
    }

    private static double jitMicros(Map<String, Double> byThread) {
        return byThread.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    static void printThreads(Map<String, Double> before, Map<String, Double> after, long captures) {
        System.out.println("BENCH cpu by forwarder thread, µs per stored capture:");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0.0)) / captures))
                .filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> System.out.printf("BENCH   %-20s %6.2f%n", e.getKey(), e.getValue()));
    }
}
