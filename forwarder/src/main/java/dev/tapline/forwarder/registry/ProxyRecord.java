package dev.tapline.forwarder.registry;

import java.time.Instant;

import dev.tapline.capture.v1.ProxyCounters;
import dev.tapline.capture.v1.ProxyIdentity;

/** What the forwarder knows of one registered proxy: who it is, when it registered and last checked in. */
public record ProxyRecord(ProxyIdentity identity, Instant registeredAt, Instant lastCheckIn, ProxyCounters counters) {

    ProxyRecord checkedIn(Instant at, ProxyCounters latest) {
        return new ProxyRecord(identity, registeredAt, at, latest);
    }
}
