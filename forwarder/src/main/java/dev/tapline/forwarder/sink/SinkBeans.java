package dev.tapline.forwarder.sink;

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
    CaptureDestination sink(KafkaConfig config, StoreWriter store, KafkaClients kafka) {
        CaptureDestination toStore = store::write;
        CaptureDestination toKafka = rows -> kafka.sink().write(rows);
        return switch (config.effectiveSink()) {
            case STORE -> toStore;
            case KAFKA -> toKafka;
            case BOTH -> new BothSinks(toStore, toKafka);
        };
    }
}
