package dev.tapline.forwarder.sink;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * Where the ingest hands a prepared batch (validated, after DLP): the embedded store's writer, the Kafka sink, or
 * both (SINK). The future completes once every record is durable there (the store's commit, Kafka's acks), and
 * only then is the proxy's batch acked; it fails when they could not be, and the batch is not acked.
 */
public interface BatchSink {

    /**
     * Hands the records over; may wait while the sink is full (that is where a slow sink pushes back).
     *
     * @return one outcome per record, in the order given
     */
    CompletableFuture<List<SinkOutcome>> write(List<StoredCapture> records) throws InterruptedException;
}
