package dev.tapline.forwarder.index;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tapline.forwarder.api.ProxiesResource.ProxyView;

/**
 * The proxies of the whole fleet as the indexer read them from the proxies topic: each proxy's latest
 * registration or check-in, whichever forwarder it came through. An eviction (tombstone) removes it, and so does
 * silence beyond REAP_AFTER (a forwarder killed before it could publish the eviction). Empty unless indexing.
 */
public final class FleetProxies {
    private final Map<String, ProxyView> proxies = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration reapAfter;

    public FleetProxies(Clock clock, Duration reapAfter) {
        this.clock = clock;
        this.reapAfter = reapAfter;
    }

    void update(String proxyId, ProxyView view) {
        if (view == null) {
            proxies.remove(proxyId);
        } else {
            proxies.put(proxyId, view);
        }
    }

    /** The proxies that checked in within REAP_AFTER. */
    public Collection<ProxyView> live() {
        Instant deadline = clock.instant().minus(reapAfter);
        List<ProxyView> out = proxies.values().stream()
                .filter(p -> !Instant.parse(p.lastCheckIn()).isBefore(deadline)).toList();
        return out;
    }
}
