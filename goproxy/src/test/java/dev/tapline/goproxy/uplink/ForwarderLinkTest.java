package dev.tapline.goproxy.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.LongStream;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.tapline.capture.v1.Capture;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.HttpRequestRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import dev.tapline.goproxy.outbox.CaptureBatcher;
import dev.tapline.goproxy.outbox.CaptureIds;
import dev.tapline.goproxy.outbox.CaptureQueue;
import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.support.FakeForwarder;
import dev.tapline.goproxy.support.LogRecords;
import io.grpc.Status;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;

class ForwarderLinkTest {
    private final CaptureStats stats = new CaptureStats();
    private static final ConnectionInfo CONN = new ConnectionInfo(1, "127.0.0.1:1000", "127.0.0.1:5000", 0);
    private static final ProxyIdentityInfo ID = new ProxyIdentityInfo("pod-1", "shop", "pod-1", "", "reverse", "v0", "now",
            ":0", "app:1");

    private CaptureQueue queue = new CaptureQueue(64L * 1024 * 1024);
    private CaptureBatcher batcher;
    private FakeForwarder forwarder;
    private ForwarderLink link;

    private void startLink(Optional<String> token) {
        startLink(token, forwarder.port());
    }

    private void startLink(Optional<String> token, int port) {
        startLink(token, port, Duration.ofMillis(20));
    }

    private void startLink(Optional<String> token, int port, Duration batchDelay) {
        // batches of 50 captures: the tests below send many batches
        batcher = new CaptureBatcher(queue, stats, new CaptureIds(ID.proxyId()), 50, 1024 * 1024, () -> link.wake());
        link = new ForwarderLink(new LinkSettings("127.0.0.1:" + port, token, ID, batchDelay, 4,
                Duration.ofSeconds(1), Duration.ofMillis(300)), queue, batcher, stats, new RelayStats());
        link.start();
    }

    /** Captures whose sequence numbers are n, so order and completeness can be checked. */
    private void produce(long from, long to) {
        LongStream.range(from, to).forEach(n -> batcher.http(CONN, exchange(n)));
    }

    private static HttpExchangeRecord exchange(long n) {
        return new HttpExchangeRecord(n, new HttpRequestRecord("GET", "/item/" + n, "HTTP/1.1", List.of(), new byte[0], 0,
                false, List.of(), true), null, List.of(), true, false, false, 1, 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            link.stop(Duration.ofMillis(200));
        }
        if (forwarder != null) {
            forwarder.close();
        }
    }

    @Test
    void registersThenUploadsEveryCaptureOnceAndInOrder() throws Exception {
        forwarder = new FakeForwarder();
        startLink(Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(link::isUp);
        produce(0, 1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.stored.size() == 1000);
        List<Long> order = forwarder.storedInOrder.stream().map(Capture::getSequence).toList();
        assertThat(order).isEqualTo(LongStream.range(0, 1000).boxed().toList());
        assertThat(forwarder.registrations.get()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.acked.sum() == 1000);
        assertThat(forwarder.storedInOrder).allMatch(c -> c.getProxyId().equals("pod-1") && c.getId().startsWith("pod-1-"));
    }

    /**
     * Batches live in pooled direct memory: one not released would be lost to the pool for good. Counted in the
     * allocator's arenas (gRPC's transports have an allocator of their own); 40 KB captures make every batch larger
     * than what Netty's per-thread caches keep, so each release shows in the arena's counts.
     */
    @Test
    void everyBatchGoesBackToThePoolOnceAckedOrAbandonedAtStop() throws Exception {
        long before = activeDirectAllocations();
        forwarder = new FakeForwarder();
        startLink(Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(link::isUp);
        LongStream.range(0, 200).forEach(n -> batcher.http(CONN, largeExchange(n)));
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.acked.sum() == 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> activeDirectAllocations() == before);

        forwarder.holdAcks(true); // sent, never acked: still held at stop, with more sealed behind them
        LongStream.range(200, 400).forEach(n -> batcher.http(CONN, largeExchange(n)));
        await().atMost(Duration.ofSeconds(10)).until(() -> activeDirectAllocations() > before
                && queue.hasSealed());
        link.stop(Duration.ofMillis(100));
        link = null;
        assertThat(stats.droppedShutdown.sum()).as("captures abandoned at stop").isPositive();
        assertThat(activeDirectAllocations()).as("batches still allocated").isEqualTo(before);
    }

    private static long activeDirectAllocations() {
        return PooledByteBufAllocator.DEFAULT.metric().directArenas().stream()
                .mapToLong(PoolArenaMetric::numActiveAllocations).sum();
    }

    private static HttpExchangeRecord largeExchange(long n) {
        byte[] body = new byte[40_000];
        return new HttpExchangeRecord(n, new HttpRequestRecord("POST", "/item/" + n, "HTTP/1.1", List.of(), body,
                body.length, false, List.of(), true), null, List.of(), true, false, false, 1, 0);
    }

    @Test
    void aForwarderRestartedMidStreamGetsTheUnackedBatchesAgainAndLosesNothing() throws Exception {
        forwarder = new FakeForwarder();
        startLink(Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(link::isUp);
        produce(0, 500);
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.stored.size() == 500);

        forwarder.holdAcks(true); // batches now arrive but are neither stored nor acked
        produce(500, 700);
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.batchesReceived.get() >= 14);
        forwarder.kill();
        produce(700, 800); // produced while the forwarder is down
        forwarder.holdAcks(false);
        forwarder.restart();

        await().atMost(Duration.ofSeconds(20)).until(() -> forwarder.stored.size() == 800);
        assertThat(forwarder.stored.values()).extracting(Capture::getSequence)
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 800).boxed().toList());
        assertThat(forwarder.registrations.get()).isGreaterThanOrEqualTo(2);
        assertThat(stats.droppedTotal()).isZero();
    }

    /**
     * Long bodies are copied once, from the capture straight into the batch's buffer, and that buffer is what every
     * send of the batch reads: the forwarder gets each body byte for byte, on the first send and on the resend of
     * the batches it had not acked when it died.
     */
    @Test
    void bodiesArriveByteForByteOnTheFirstSendAndOnTheResendAfterARestart() throws Exception {
        forwarder = new FakeForwarder();
        startLink(Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(link::isUp);
        LongStream.range(0, 20).forEach(n -> batcher.http(CONN, bodiesExchange(n)));
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.stored.size() == 20);

        forwarder.holdAcks(true); // received, neither stored nor acked: to be sent again
        int before = forwarder.batchesReceived.get();
        LongStream.range(20, 60).forEach(n -> batcher.http(CONN, bodiesExchange(n)));
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.batchesReceived.get() >= before + 2);
        forwarder.kill();
        forwarder.holdAcks(false);
        forwarder.restart();

        await().atMost(Duration.ofSeconds(20)).until(() -> forwarder.stored.size() == 60);
        assertThat(forwarder.stored.values()).allSatisfy(c -> {
            long n = c.getSequence();
            assertThat(c.getHttp().getRequest().getBody().toByteArray()).as("request body %d", n)
                    .isEqualTo(body(70_000, n));
            assertThat(c.getHttp().getResponse().getBody().toByteArray()).as("response body %d", n)
                    .isEqualTo(body(3_000 + (int) n, n + 1));
            assertThat(c.getHttp().getResponse().getHeaders(0).getValue()).isEqualTo("v" + n);
        });
        assertThat(stats.droppedTotal()).isZero();
    }

    private static HttpExchangeRecord bodiesExchange(long n) {
        byte[] request = body(70_000, n);
        byte[] response = body(3_000 + (int) n, n + 1);
        return new HttpExchangeRecord(n, new HttpRequestRecord("POST", "/item/" + n, "HTTP/1.1", List.of(), request,
                request.length, false, List.of(), true), new HttpResponseRecord(200, "OK", "HTTP/1.1",
                List.of(new HttpHeader("x-n", "v" + n)), response, response.length, false, List.of(), true),
                List.of(), false, false, false, 1, 2);
    }

    private static byte[] body(int length, long seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + seed);
        }
        return b;
    }

    @Test
    void stoppingWithAnOpenUploadStreamLogsNoWarning() throws Exception {
        forwarder = new FakeForwarder();
        startLink(Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(link::isUp);
        produce(0, 500);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.acked.sum() == 500);

        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger grpc = Logger.getLogger("io.grpc");
        grpc.addHandler(handler);
        try {
            link.stop(Duration.ofMillis(200));
            link.wake(); // an event loop sealing a batch after the stop
            link = null;
        } finally {
            grpc.removeHandler(handler);
        }
        assertThat(warnings).extracting(LogRecord::getMessage).isEmpty();
    }

    /**
     * A partly filled batch is sent once it is CAPTURE_BATCH_DELAY old, at most a quarter of it later. The link
     * checks on a tick that starts with it; a capture made right at the start is 2 s old just after the 2 s tick,
     * so ticking every delay (as before) sent it at the 4 s tick, ticking every quarter sends it at 2.5 s.
     */
    @Test
    void aPartlyFilledBatchIsSentAtMostAQuarterPastTheBatchDelay() throws Exception {
        forwarder = new FakeForwarder();
        startLink(Optional.empty(), forwarder.port(), Duration.ofSeconds(2));
        long started = System.nanoTime();
        produce(0, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.acked.sum() == 1);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("not before the delay").isGreaterThanOrEqualTo(Duration.ofMillis(1_900))
                .as("at most a quarter past it, with room for a slow machine").isLessThan(Duration.ofMillis(3_300));
    }

    @Test
    void aProxyTheForwarderForgotRegistersAgain() throws Exception {
        forwarder = new FakeForwarder();
        startLink(Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.registrations.get() == 1);
        forwarder.forgetProxiesOnce.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.registrations.get() == 2);
        assertThat(link.isUp()).isTrue();
    }

    /**
     * A forwarder that answers but refuses the registration is a setting to fix: said at ERROR with what to check,
     * not as "could not reach". The link keeps retrying and registers once the forwarder accepts.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "UNAUTHENTICATED   | FORWARDER_TOKEN must be the forwarder's FORWARDER_TOKEN",
            "PERMISSION_DENIED | FORWARDER_TOKEN must be the forwarder's FORWARDER_TOKEN",
            "INVALID_ARGUMENT  | the forwarder refused this proxy's identity (APP_POD_NAME, APP_LABEL, ...)",
            "UNAVAILABLE       | "})
    void aRefusedRegistrationIsLoggedAsARefusalWithWhatToCheckAndRetried(Status.Code code, String check)
            throws Exception {
        forwarder = new FakeForwarder();
        forwarder.refuseRegistrations = Status.fromCode(code).withDescription("refused by the test");
        try (LogRecords log = new LogRecords(ForwarderLink.class)) {
            startLink(Optional.empty());
            await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.registrations.get() >= 2);
            ExtLogRecord first = log.records().stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                    .findFirst().orElseThrow();
            String fields = first.getParameters()[0].toString();
            if (check == null) {
                assertThat(first.getMessage()).isEqualTo("Could not reach forwarder, retrying");
                assertThat(fields).doesNotContain("check=");
            } else {
                assertThat(first.getMessage()).isEqualTo("Forwarder refused to register this proxy, retrying");
                assertThat(first.getLevel().getName()).isEqualTo("ERROR");
                assertThat(fields).contains("check=" + check).contains(code.name()).contains("refused by the test");
            }
            assertThat(link.isUp()).isFalse();
            forwarder.refuseRegistrations = null;
            await().atMost(Duration.ofSeconds(10)).until(link::isUp);
        }
    }

    @Test
    void theTokenIsSentOnEveryCall() throws Exception {
        forwarder = new FakeForwarder();
        startLink(Optional.of("s3cret"));
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.heartbeats.get() >= 1);
        assertThat(forwarder.authorizations).isNotEmpty().allMatch("Bearer s3cret"::equals);
    }

    @Test
    void withTheForwarderDownCapturesQueueThenDropAndCountWithoutBlocking() throws Exception {
        forwarder = new FakeForwarder();
        int port = forwarder.port();
        forwarder.kill();
        int bound = 10_000;
        queue = new CaptureQueue(bound);
        startLink(Optional.empty(), port);
        long started = System.nanoTime();
        produce(0, 1);
        long one = queue.bytes(); // ids grow by a digit now and then: later captures are up to 4 bytes longer
        produce(1, 10_000);
        assertThat(System.nanoTime() - started).as("producing never waits for the forwarder").isLessThan(5_000_000_000L);
        long dropped = stats.droppedQueueFull.sum();
        assertThat(10_000 - dropped).as("captures kept").isBetween(bound / (one + 4), bound / one);
        assertThat(queue.size()).isEqualTo(10_000 - dropped);
        assertThat(queue.bytes()).isLessThanOrEqualTo(100 * 100);
        assertThat(stats.produced.sum()).isEqualTo(10_000);
        assertThat(link.isUp()).isFalse();
    }
}
