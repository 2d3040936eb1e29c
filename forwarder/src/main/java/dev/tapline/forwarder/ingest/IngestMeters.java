package dev.tapline.forwarder.ingest;

import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What ingest did with the records it prepared, as meters (Quarkus binds every {@link MeterBinder} bean at start).
 *
 * <pre>
 * forwarder.captures.stored     counter  records newly stored
 * forwarder.captures.duplicate  counter  records already stored (resends)
 * forwarder.captures.rejected   counter  records refused (invalid)
 * </pre>
 */
@Singleton
public class IngestMeters implements MeterBinder {
    private final LongAdder stored = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    void batchDone(int storedCount, int duplicateCount, int rejectedCount) {
        stored.add(storedCount);
        duplicates.add(duplicateCount);
        rejected.add(rejectedCount);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        counter(meters, "forwarder.captures.stored", stored, "Capture records newly stored");
        counter(meters, "forwarder.captures.duplicate", duplicates, "Capture records already stored, not stored again");
        counter(meters, "forwarder.captures.rejected", rejected, "Capture records refused as invalid");
    }

    private static void counter(MeterRegistry meters, String name, LongAdder count, String description) {
        FunctionCounter.builder(name, count, LongAdder::sum).description(description).register(meters);
    }
}
