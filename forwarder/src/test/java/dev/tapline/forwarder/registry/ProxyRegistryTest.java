package dev.tapline.forwarder.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.ProxyCounters;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.forwarder.testing.MutableClock;

class ProxyRegistryTest {
    private static final Duration REAP_AFTER = Duration.ofSeconds(45);

    private final MutableClock clock = new MutableClock();
    private final ProxyRegistry registry = new ProxyRegistry(clock);

    private static ProxyIdentity proxy(String id, String app) {
        return ProxyIdentity.newBuilder().setProxyId(id).setAppLabel(app).setProxyType("reverse").build();
    }

    @Test
    void registeringAgainRefreshesTheIdentityAndKeepsTheFirstRegistrationTime() {
        Instant first = clock.instant();
        registry.register(proxy("pod-a", "shop"));
        clock.advance(Duration.ofSeconds(10));

        ProxyRecord again = registry.register(proxy("pod-a", "shop-v2"));

        assertThat(registry.size()).isEqualTo(1);
        assertThat(again.registeredAt()).isEqualTo(first);
        assertThat(again.lastCheckIn()).isEqualTo(first.plusSeconds(10));
        assertThat(again.identity().getAppLabel()).isEqualTo("shop-v2");
    }

    @Test
    void aCheckInMovesLastSeenAndKeepsTheLatestCounters() {
        registry.register(proxy("pod-a", "shop"));
        clock.advance(Duration.ofSeconds(15));
        ProxyCounters counters = ProxyCounters.newBuilder().setConnectionsTotal(12).setCapturesAcked(9).build();

        assertThat(registry.checkIn("pod-a", counters)).isTrue();
        assertThat(registry.checkIn("never-registered", counters)).isFalse();

        ProxyRecord r = registry.all().iterator().next();
        assertThat(r.lastCheckIn()).isEqualTo(clock.instant());
        assertThat(r.counters().getConnectionsTotal()).isEqualTo(12);
    }

    @Test
    void aProxySilentLongerThanReapAfterIsEvictedAndUnknownAtItsNextCheckIn() {
        registry.register(proxy("pod-quiet", "shop"));
        registry.register(proxy("pod-busy", "shop"));
        clock.advance(Duration.ofSeconds(30));
        registry.checkIn("pod-busy", ProxyCounters.getDefaultInstance());

        clock.advance(Duration.ofSeconds(15));
        assertThat(registry.reap(REAP_AFTER)).as("exactly REAP_AFTER is not longer than it").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.reap(REAP_AFTER)).extracting(r -> r.identity().getProxyId()).containsExactly("pod-quiet");

        assertThat(registry.checkIn("pod-quiet", ProxyCounters.getDefaultInstance())).isFalse();
        assertThat(registry.checkIn("pod-busy", ProxyCounters.getDefaultInstance())).isTrue();
        assertThat(registry.reaped()).extracting(r -> r.identity().getProxyId()).containsExactly("pod-quiet");
        assertThat(registry.identity("pod-quiet")).map(ProxyIdentity::getAppLabel).hasValue("shop");
    }

    @Test
    void aReapedProxyThatRegistersAgainIsLiveAgain() {
        registry.register(proxy("pod-a", "shop"));
        clock.advance(Duration.ofMinutes(1));
        registry.reap(REAP_AFTER);

        registry.register(proxy("pod-a", "shop"));

        assertThat(registry.checkIn("pod-a", ProxyCounters.getDefaultInstance())).isTrue();
        assertThat(registry.reaped()).isEmpty();
    }

    @Test
    void onlyTheMostRecentlyReapedProxiesAreRemembered() {
        for (int i = 0; i < ProxyRegistry.REAPED_KEPT + 5; i++) {
            registry.register(proxy("pod-" + i, "shop"));
        }
        clock.advance(Duration.ofMinutes(1));
        registry.reap(REAP_AFTER);

        assertThat(registry.reaped()).hasSize(ProxyRegistry.REAPED_KEPT);
        assertThat(registry.size()).isZero();
    }
}
