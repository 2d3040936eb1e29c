package dev.tapline.forwarder.store.sqlite;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code forwarder.store.size.bytes}: what the stored captures and their indexes take up, as the sink last
 * measured it (read at each scrape, never a query on the scrape's thread). Quarkus binds every {@link MeterBinder}
 * bean at start.
 */
@Singleton
public class StoreSizeMeter implements MeterBinder {
    private final SqliteCaptureSink sink;

    @Inject
    public StoreSizeMeter(SqliteCaptureSink sink) {
        this.sink = sink;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("forwarder.store.size", sink, SqliteCaptureSink::sizeBytes).baseUnit("bytes")
                .description("Bytes the stored captures and their indexes take up").register(meters);
    }
}
