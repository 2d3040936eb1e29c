package dev.tapline.forwarder.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where ingest hands the captures it accepted: the embedded store's {@link StoreWriter} today; a streaming sink
 * can take its place without ingest changing. An ack is sent only when the future completes, so an implementation
 * completes it once the records are durable (and fails it when they are not: the proxy sends them again).
 */
public interface CaptureDestination {

    /**
     * Takes the records; may wait while the destination is full (that wait is how a slow sink pushes back on the
     * proxies). The future completes with one {@link SinkOutcome} per record, in the order given.
     */
    CompletableFuture<List<SinkOutcome>> write(List<StoredCapture> records) throws InterruptedException;
}
