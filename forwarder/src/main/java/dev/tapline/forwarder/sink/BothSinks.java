package dev.tapline.forwarder.sink;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.tapline.forwarder.store.CaptureDestination;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * SINK=both: a batch goes to the embedded store and to Kafka, and is acked when both have it. The outcomes are the
 * store's (it knows duplicates; Kafka takes every record, the indexer drops duplicates by capture id).
 */
public final class BothSinks implements CaptureDestination {
    private final CaptureDestination store;
    private final CaptureDestination kafka;

    public BothSinks(CaptureDestination store, CaptureDestination kafka) {
        this.store = store;
        this.kafka = kafka;
    }

    @Override
    public CompletableFuture<List<SinkOutcome>> write(List<StoredCapture> records) throws InterruptedException {
        CompletableFuture<List<SinkOutcome>> published = kafka.write(records);
        CompletableFuture<List<SinkOutcome>> stored = store.write(records);
        return stored.thenCombine(published, (fromStore, fromKafka) -> fromStore);
    }
}
