package dev.tapline.forwarder.grpc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * What arrives on the Upload streams, as meters (Quarkus binds every {@link MeterBinder} bean at start).
 *
 * <pre>
 * forwarder.upload.streams     gauge    Upload streams open
 * forwarder.upload.batches     counter  batches received
 * forwarder.captures.received  counter  records received
 * forwarder.captures.bytes     counter  bytes of records received
 * </pre>
 */
@Singleton
public class UploadMeters implements MeterBinder {
    private final AtomicInteger streams = new AtomicInteger();
    private final LongAdder batches = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    void streamOpened() {
        streams.incrementAndGet();
    }

    void streamClosed() {
        streams.decrementAndGet();
    }

    void batchReceived(int records, long recordBytes) {
        batches.increment();
        received.add(records);
        bytes.add(recordBytes);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("forwarder.upload.streams", streams, AtomicInteger::get)
                .description("Upload streams open").register(meters);
        FunctionCounter.builder("forwarder.upload.batches", batches, LongAdder::sum)
                .description("Upload batches received").register(meters);
        FunctionCounter.builder("forwarder.captures.received", received, LongAdder::sum)
                .description("Capture records received").register(meters);
        FunctionCounter.builder("forwarder.captures.bytes", bytes, LongAdder::sum).baseUnit("bytes")
                .description("Bytes of capture records received").register(meters);
    }
}
