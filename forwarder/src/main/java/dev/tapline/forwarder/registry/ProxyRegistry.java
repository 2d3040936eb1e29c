package dev.tapline.forwarder.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.tapline.capture.v1.ProxyCounters;
import dev.tapline.capture.v1.ProxyIdentity;

/**
 * The proxies that registered and have not been reaped, plus the last {@value #REAPED_KEPT} reaped ones (so that
 * their late uploads still get their app label, and the read API can show them). Thread-safe; time comes from the
 * given {@link Clock} so tests can move it.
 */
public final class ProxyRegistry {
    static final int REAPED_KEPT = 1000;

    private final ConcurrentMap<String, ProxyRecord> proxies = new ConcurrentHashMap<>();
    private final Map<String, ProxyRecord> reaped = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ProxyRecord> eldest) {
            return size() > REAPED_KEPT;
        }
    };
    private final Clock clock;
    private volatile RegistryListener listener = RegistryListener.NONE;

    public ProxyRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Who is told of registrations, check-ins and evictions (one listener; the last one set). */
    public void listen(RegistryListener listener) {
        this.listener = listener;
    }

    /** Registers or re-registers (idempotent): the identity is refreshed, registeredAt kept for a known proxy. */
    public ProxyRecord register(ProxyIdentity identity) {
        Instant now = clock.instant();
        synchronized (reaped) {
            reaped.remove(identity.getProxyId());
        }
        ProxyRecord record = proxies.compute(identity.getProxyId(), (id, old) -> new ProxyRecord(identity,
                old == null ? now : old.registeredAt(), now, old == null ? ProxyCounters.getDefaultInstance() : old.counters()));
        listener.updated(record);
        return record;
    }

    /** Records a check-in; false when the proxy is unknown (never registered, or reaped). */
    public boolean checkIn(String proxyId, ProxyCounters counters) {
        Instant now = clock.instant();
        ProxyRecord record = proxies.computeIfPresent(proxyId, (id, old) -> old.checkedIn(now, counters));
        if (record != null) {
            listener.updated(record);
        }
        return record != null;
    }

    public boolean isKnown(String proxyId) {
        return proxies.containsKey(proxyId);
    }

    /** Evicts and returns the proxies whose last check-in is older than {@code reapAfter}. */
    public List<ProxyRecord> reap(Duration reapAfter) {
        Instant deadline = clock.instant().minus(reapAfter);
        List<ProxyRecord> evicted = new ArrayList<>();
        for (ProxyRecord r : proxies.values()) {
            if (r.lastCheckIn().isBefore(deadline) && proxies.remove(r.identity().getProxyId(), r)) {
                evicted.add(r);
            }
        }
        synchronized (reaped) {
            for (ProxyRecord r : evicted) {
                if (!proxies.containsKey(r.identity().getProxyId())) {
                    reaped.put(r.identity().getProxyId(), r);
                }
            }
        }
        evicted.forEach(listener::evicted);
        return evicted;
    }

    /** Who the proxy is, when it is registered or was reaped recently. */
    public Optional<ProxyIdentity> identity(String proxyId) {
        ProxyRecord live = proxies.get(proxyId);
        if (live != null) {
            return Optional.of(live.identity());
        }
        synchronized (reaped) {
            ProxyRecord gone = reaped.get(proxyId);
            return gone == null ? Optional.empty() : Optional.of(gone.identity());
        }
    }

    /** The live proxies. */
    public Collection<ProxyRecord> all() {
        return List.copyOf(proxies.values());
    }

    /** The recently reaped proxies, oldest eviction first. */
    public List<ProxyRecord> reaped() {
        synchronized (reaped) {
            return List.copyOf(reaped.values());
        }
    }

    public int size() {
        return proxies.size();
    }
}
