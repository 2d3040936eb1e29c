package dev.tapline.forwarder.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.tapline.forwarder.registry.ProxyRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The forwarder's meters, on {@code /q/metrics} in Prometheus form (dot.case names show up as snake_case, counters
 * with {@code _total}). The same counters feed the telemetry line.
 *
 * <pre>
 * forwarder.proxies.registered       gauge    proxies registered and not reaped
 * forwarder.registrations            counter  Register calls
 * forwarder.proxies.reaped           counter  proxies evicted for not checking in
 * forwarder.upload.streams           gauge    Upload streams open
 * forwarder.upload.batches           counter  batches received
 * forwarder.captures.received        counter  records received
 * forwarder.captures.stored          counter  records newly stored
 * forwarder.captures.duplicate       counter  records already stored (resends)
 * forwarder.captures.rejected        counter  records refused (invalid)
 * forwarder.captures.bytes           counter  bytes of records received
 * forwarder.dlp.redactions           counter  values replaced by DLP
 * forwarder.store.size.bytes         gauge    bytes the stored captures take up
 * forwarder.store.retention.deleted  counter  captures deleted by retention
 * </pre>
 */
@Singleton
public class ForwarderMetrics {
    private final MeterRegistry meters;
    private final Counter registrations;
    private final Counter reaped;
    private final AtomicInteger streams = new AtomicInteger();
    private final Counter batches;
    private final Counter received;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter rejected;
    private final Counter bytes;
    private final Counter retentionDeleted;

    @Inject
    public ForwarderMetrics(MeterRegistry meters, ProxyRegistry registry) {
        this.meters = meters;
        Gauge.builder("forwarder.proxies.registered", registry, ProxyRegistry::size)
                .description("Proxies registered and not reaped").register(meters);
        registrations = counter("forwarder.registrations", "Register calls");
        reaped = counter("forwarder.proxies.reaped", "Proxies evicted for not checking in");
        Gauge.builder("forwarder.upload.streams", streams, AtomicInteger::get)
                .description("Upload streams open").register(meters);
        batches = counter("forwarder.upload.batches", "Upload batches received");
        received = counter("forwarder.captures.received", "Capture records received");
        stored = counter("forwarder.captures.stored", "Capture records newly stored");
        duplicates = counter("forwarder.captures.duplicate", "Capture records already stored, not stored again");
        rejected = counter("forwarder.captures.rejected", "Capture records refused as invalid");
        bytes = Counter.builder("forwarder.captures.bytes").baseUnit("bytes")
                .description("Bytes of capture records received").register(meters);
        retentionDeleted = counter("forwarder.store.retention.deleted", "Captures deleted by retention");
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name).description(description).register(meters);
    }

    /** Registers the DLP redaction counter, read from {@code source} at each scrape. */
    public <T> void redactions(T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder("forwarder.dlp.redactions", source, count)
                .description("Values replaced by DLP before storing").register(meters);
    }

    /** Registers the store size gauge, read from {@code source} at each scrape. */
    public <T> void storeSize(T source, ToDoubleFunction<T> sizeBytes) {
        Gauge.builder("forwarder.store.size", source, sizeBytes).baseUnit("bytes")
                .description("Bytes the stored captures and their indexes take up").register(meters);
    }

    public void registered() {
        registrations.increment();
    }

    public void reaped() {
        reaped.increment();
    }

    public void streamOpened() {
        streams.incrementAndGet();
    }

    public void streamClosed() {
        streams.decrementAndGet();
    }

    public void batchReceived(int records, long recordBytes) {
        batches.increment();
        received.increment(records);
        bytes.increment(recordBytes);
    }

    public void batchDone(int storedCount, int duplicateCount, int rejectedCount) {
        stored.increment(storedCount);
        duplicates.increment(duplicateCount);
        rejected.increment(rejectedCount);
    }

    public void retentionDeleted(int count) {
        retentionDeleted.increment(count);
    }

    /** The counters as they are now, for the telemetry line and tests. */
    public Snapshot snapshot() {
        return new Snapshot((long) registrations.count(), (long) reaped.count(), streams.get(),
                (long) batches.count(), (long) received.count(), (long) stored.count(), (long) duplicates.count(),
                (long) rejected.count(), (long) bytes.count(), redactionCount());
    }

    private long redactionCount() {
        FunctionCounter c = meters.find("forwarder.dlp.redactions").functionCounter();
        return c == null ? 0 : (long) c.count();
    }

    /** A reading of the counters. */
    public record Snapshot(long registrations, long reaped, int streams, long batches, long received, long stored,
            long duplicates, long rejected, long bytes, long redactions) {
    }
}
