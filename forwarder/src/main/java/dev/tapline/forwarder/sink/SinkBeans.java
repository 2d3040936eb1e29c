package dev.tapline.forwarder.sink;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.tapline.forwarder.config.KafkaConfig;
import dev.tapline.forwarder.sink.kafka.KafkaClients;
import dev.tapline.forwarder.store.CaptureDestination;
import dev.tapline.forwarder.store.StoreWriter;

/** SINK, handed to CDI: the ingest writes to the embedded store's writer, to Kafka, or to both. */
@Singleton
public class SinkBeans {

    @Produces
    @Singleton
    CaptureDestination sink(KafkaConfig config, Instance<StoreWriter> store, KafkaClients kafka) {
        CaptureDestination toKafka = rows -> kafka.sink().write(rows);
        if (config.effectiveSink() == KafkaConfig.Sink.KAFKA) {
            return toKafka; // an ingest-only node: the store is not asked for, so never opened
        }
        CaptureDestination toStore = store.get()::write;
        return config.effectiveSink() == KafkaConfig.Sink.BOTH ? new BothSinks(toStore, toKafka) : toStore;
    }
}
