package dev.tapline.goproxy.tls;

import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * TLS handshake outcomes, bumped on the event loops: TLS_IN_UNWRAP's published as
 * {@code goproxy.tls.handshakes{outcome}}, TLS_OUT_UNWRAP's ({@link #outbound()}) as
 * {@code goproxy.tls.out.handshakes{outcome}} with the leaf certificates it minted.
 */
public final class TlsStats implements MeterBinder {
    /** Both handshakes (app and client) finished. */
    public final LongAdder ok = new LongAdder();
    /** The client's handshake failed (unknown CA, no shared cipher, bad bytes, closed midway). */
    public final LongAdder clientFailed = new LongAdder();
    /** The handshake with the app (TLS_OUT_UNWRAP: with the upstream, its certificate included) failed. */
    public final LongAdder appFailed = new LongAdder();
    /** TLS_HANDSHAKE_TIMEOUT passed first. */
    public final LongAdder timedOut = new LongAdder();
    /** Certificate reloads after the files changed, and reloads refused (the old certificate stays). */
    public final LongAdder reloads = new LongAdder();
    public final LongAdder reloadFailures = new LongAdder();
    /** TLS_OUT_UNWRAP: leaf certificates minted (one per host name, then cached), and mints that failed. */
    public final LongAdder leavesMinted = new LongAdder();
    public final LongAdder leafFailures = new LongAdder();

    /** TLS_OUT_UNWRAP's counters; null in that one itself. */
    private final TlsStats outbound;

    public TlsStats() {
        this.outbound = new TlsStats(null);
    }

    private TlsStats(TlsStats none) {
        this.outbound = none;
    }

    /** The counters of the forward proxy's unwrapped tunnels (TLS_OUT_UNWRAP). */
    public TlsStats outbound() {
        return outbound == null ? this : outbound;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (outbound == null) {
            handshakes(registry, "goproxy.tls.out.handshakes", "upstream_failed",
                    "TLS handshakes of unwrapped forward-proxy tunnels (TLS_OUT_UNWRAP)");
            count(registry, "goproxy.tls.out.leaves", "minted", leavesMinted, "leaf certificates minted per host name");
            count(registry, "goproxy.tls.out.leaves", "failed", leafFailures, "leaf certificates minted per host name");
            return;
        }
        handshakes(registry, "goproxy.tls.handshakes", "app_failed", "TLS handshakes of unwrapped client connections");
        count(registry, "goproxy.tls.cert.reloads", "ok", reloads, "TLS_IN certificate reloads");
        count(registry, "goproxy.tls.cert.reloads", "failed", reloadFailures, "TLS_IN certificate reloads");
        outbound.bindTo(registry);
    }

    private void handshakes(MeterRegistry registry, String name, String farFailed, String what) {
        count(registry, name, "ok", ok, what);
        count(registry, name, "client_failed", clientFailed, what);
        count(registry, name, farFailed, appFailed, what);
        count(registry, name, "timeout", timedOut, what);
    }

    private static void count(MeterRegistry registry, String name, String outcome, LongAdder adder, String what) {
        FunctionCounter.builder(name, adder, LongAdder::sum).tag("outcome", outcome).description(what)
                .register(registry);
    }
}
