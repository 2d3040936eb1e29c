package dev.tapline.forwarder.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxies of the whole fleet as an indexer read them from the proxies topic: each proxy's latest registration
 * or check-in, whichever forwarder it came through. An eviction (tombstone) removes it, and so does silence beyond
 * REAP_AFTER (a forwarder killed before it could publish the eviction). Empty unless indexing.
 */
public final class FleetProxies {
    private final Map<String, ProxyRecord> proxies = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration reapAfter;

    public FleetProxies(Clock clock, Duration reapAfter) {
        this.clock = clock;
        this.reapAfter = reapAfter;
    }

    /** The proxy's latest state, or null when it was evicted. */
    public void update(String proxyId, ProxyRecord record) {
        if (record == null) {
            proxies.remove(proxyId);
        } else {
            proxies.put(proxyId, record);
        }
    }

    /** The proxies that checked in within REAP_AFTER. */
    public Collection<ProxyRecord> live() {
        Instant deadline = clock.instant().minus(reapAfter);
        return proxies.values().stream().filter(p -> !p.lastCheckIn().isBefore(deadline)).toList();
    }
}
