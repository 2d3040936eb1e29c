package dev.tapline.goproxy.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.Capture;
import dev.tapline.goproxy.ProxyIdentityInfo;
import dev.tapline.goproxy.capture.CaptureQueue;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.PendingCapture;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.support.FakeForwarder;

class ForwarderLinkTest {
    private final CaptureStats stats = new CaptureStats();
    private final CaptureQueue queue = new CaptureQueue(64L * 1024 * 1024, stats);
    private FakeForwarder forwarder;
    private ForwarderLink link;

    /** A capture that carries its own sequence number, so order and completeness can be checked. */
    private record Numbered(long n) implements PendingCapture {
        @Override
        public long sizeBytes() {
            return 100;
        }

        @Override
        public Capture toProto(String id, String proxyId) {
            return Capture.newBuilder().setId(id).setProxyId(proxyId).setSequence(n).build();
        }
    }

    private void startLink(Optional<String> token) {
        ProxyIdentityInfo id = new ProxyIdentityInfo("pod-1", "shop", "pod-1", "", "reverse", "v0", "now", ":0", "app:1");
        link = new ForwarderLink(new LinkSettings("127.0.0.1:" + forwarder.port(), token, id, 50, 1024 * 1024,
                Duration.ofMillis(20), 4, Duration.ofSeconds(1), Duration.ofMillis(300)), queue, stats, new RelayStats());
        link.start();
    }

    private void produce(long from, long to) {
        LongStream.range(from, to).forEach(n -> assertThat(queue.offer(new Numbered(n))).isTrue());
        link.wake();
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

    @Test
    void aProxyTheForwarderForgotRegistersAgain() throws Exception {
        forwarder = new FakeForwarder();
        startLink(Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.registrations.get() == 1);
        forwarder.forgetProxiesOnce.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.registrations.get() == 2);
        assertThat(link.isUp()).isTrue();
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
        CaptureQueue small = new CaptureQueue(100 * 100, stats); // room for 100 captures
        ProxyIdentityInfo id = new ProxyIdentityInfo("pod-1", "shop", "pod-1", "", "reverse", "v0", "now", ":0", "app:1");
        link = new ForwarderLink(new LinkSettings("127.0.0.1:" + port, Optional.empty(), id, 50, 1024 * 1024,
                Duration.ofMillis(20), 4, Duration.ofSeconds(1), Duration.ofMillis(300)), small, stats, new RelayStats());
        link.start();
        long accepted = LongStream.range(0, 10_000).filter(n -> small.offer(new Numbered(n))).count();
        assertThat(accepted).isEqualTo(100);
        assertThat(stats.droppedQueueFull.sum()).isEqualTo(9_900);
        assertThat(small.bytes()).isEqualTo(100 * 100);
        assertThat(link.isUp()).isFalse();
    }
}
