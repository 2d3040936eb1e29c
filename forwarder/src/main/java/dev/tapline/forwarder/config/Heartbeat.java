package dev.tapline.forwarder.config;

import java.time.Duration;

/**
 * The check-in interval told to proxies when HEARTBEAT_INTERVAL is unset: a third of REAP_AFTER, so that a proxy
 * misses two check-ins before it is reaped, and at most 15 s, as the manual's default. Derived rather than fixed,
 * so that {@code REAP_AFTER=5s} alone starts.
 */
public final class Heartbeat {
    private static final Duration MAX = Duration.ofSeconds(15);

    private Heartbeat() {
    }

    public static Duration derived(Duration reapAfter) {
        Duration third = reapAfter.dividedBy(3);
        return third.compareTo(MAX) > 0 ? MAX : third;
    }
}
