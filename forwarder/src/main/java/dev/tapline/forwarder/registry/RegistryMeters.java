package dev.tapline.forwarder.registry;

import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The registry's own meters; Quarkus binds every {@link MeterBinder} bean to its meter registry at start. The
 * counts live here, so they work (and tests can read them) whether or not a registry is bound.
 *
 * <pre>
 * forwarder.proxies.registered  gauge    proxies registered and not reaped
 * forwarder.registrations       counter  Register calls
 * forwarder.proxies.reaped      counter  proxies evicted for not checking in
 * </pre>
 */
@Singleton
public class RegistryMeters implements MeterBinder {
    private final ProxyRegistry registry;
    private final LongAdder registrations = new LongAdder();
    private final LongAdder reaped = new LongAdder();

    @Inject
    public RegistryMeters(ProxyRegistry registry) {
        this.registry = registry;
    }

    /** Counts one Register call that was accepted. */
    public void registered() {
        registrations.increment();
    }

    void reaped() {
        reaped.increment();
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("forwarder.proxies.registered", registry, ProxyRegistry::size)
                .description("Proxies registered and not reaped").register(meters);
        FunctionCounter.builder("forwarder.registrations", registrations, LongAdder::sum)
                .description("Register calls").register(meters);
        FunctionCounter.builder("forwarder.proxies.reaped", reaped, LongAdder::sum)
                .description("Proxies evicted for not checking in").register(meters);
    }
}
