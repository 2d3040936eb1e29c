package dev.tapline.forwarder.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.tapline.capture.v1.ProxyCounters;
import dev.tapline.capture.v1.ProxyIdentity;

/**
 * The proxies that registered and have not been reaped. Thread-safe; time comes from the given {@link Clock}
 * so tests can move it.
 */
public final class ProxyRegistry {
    private final ConcurrentMap<String, ProxyRecord> proxies = new ConcurrentHashMap<>();
    private final Clock clock;

    public ProxyRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Registers or re-registers (idempotent): the identity is refreshed, registeredAt kept for a known proxy. */
    public ProxyRecord register(ProxyIdentity identity) {
        Instant now = clock.instant();
        return proxies.compute(identity.getProxyId(), (id, old) -> new ProxyRecord(identity,
                old == null ? now : old.registeredAt(), now, old == null ? ProxyCounters.getDefaultInstance() : old.counters()));
    }

    /** Records a check-in; false when the proxy is unknown (never registered, or reaped). */
    public boolean checkIn(String proxyId, ProxyCounters counters) {
        Instant now = clock.instant();
        return proxies.computeIfPresent(proxyId, (id, old) -> old.checkedIn(now, counters)) != null;
    }

    public boolean isKnown(String proxyId) {
        return proxies.containsKey(proxyId);
    }

    /** Evicts and returns the proxies whose last check-in is older than {@code reapAfter}. */
    public List<ProxyRecord> reap(Duration reapAfter) {
        Instant deadline = clock.instant().minus(reapAfter);
        List<ProxyRecord> reaped = new ArrayList<>();
        for (ProxyRecord r : proxies.values()) {
            if (r.lastCheckIn().isBefore(deadline) && proxies.remove(r.identity().getProxyId(), r)) {
                reaped.add(r);
            }
        }
        return reaped;
    }

    public Collection<ProxyRecord> all() {
        return List.copyOf(proxies.values());
    }

    public int size() {
        return proxies.size();
    }
}
