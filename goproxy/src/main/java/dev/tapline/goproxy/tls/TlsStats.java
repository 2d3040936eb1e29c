package dev.tapline.goproxy.tls;

import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** TLS handshake outcomes, bumped on the event loops and published as {@code goproxy.tls.handshakes{outcome}}. */
public final class TlsStats implements MeterBinder {
    /** Both handshakes (app and client) finished. */
    public final LongAdder ok = new LongAdder();
    /** The client's handshake failed (unknown CA, no shared cipher, bad bytes, closed midway). */
    public final LongAdder clientFailed = new LongAdder();
    /** The handshake with the app failed. */
    public final LongAdder appFailed = new LongAdder();
    /** TLS_HANDSHAKE_TIMEOUT passed first. */
    public final LongAdder timedOut = new LongAdder();
    /** Certificate reloads after the files changed, and reloads refused (the old certificate stays). */
    public final LongAdder reloads = new LongAdder();
    public final LongAdder reloadFailures = new LongAdder();

    @Override
    public void bindTo(MeterRegistry registry) {
        outcome(registry, "ok", ok);
        outcome(registry, "client_failed", clientFailed);
        outcome(registry, "app_failed", appFailed);
        outcome(registry, "timeout", timedOut);
        FunctionCounter.builder("goproxy.tls.cert.reloads", reloads, LongAdder::sum).tag("outcome", "ok")
                .description("TLS_IN certificate reloads").register(registry);
        FunctionCounter.builder("goproxy.tls.cert.reloads", reloadFailures, LongAdder::sum).tag("outcome", "failed")
                .description("TLS_IN certificate reloads").register(registry);
    }

    private static void outcome(MeterRegistry registry, String outcome, LongAdder adder) {
        FunctionCounter.builder("goproxy.tls.handshakes", adder, LongAdder::sum).tag("outcome", outcome)
                .description("TLS handshakes of unwrapped client connections").register(registry);
    }
}
