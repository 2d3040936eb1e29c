package dev.tapline.forwarder.store.sqlite;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.tapline.forwarder.config.KafkaConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code forwarder.store.size.bytes}: what the stored captures and their indexes take up, as the sink last
 * measured it (read at each scrape, never a query on the scrape's thread). Quarkus binds every {@link MeterBinder}
 * bean at start. An ingest-only forwarder has no store and no such meter.
 */
@Singleton
public class StoreSizeMeter implements MeterBinder {
    private final KafkaConfig kafka;
    private final Instance<SqliteCaptureSink> sinks;

    @Inject
    public StoreSizeMeter(KafkaConfig kafka, Instance<SqliteCaptureSink> sinks) {
        this.kafka = kafka;
        this.sinks = sinks;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        if (!kafka.storesCaptures()) {
            return;
        }
        SqliteCaptureSink sink = sinks.get();
        Gauge.builder("forwarder.store.size", sink, SqliteCaptureSink::sizeBytes).baseUnit("bytes")
                .description("Bytes the stored captures and their indexes take up").register(meters);
    }
}
