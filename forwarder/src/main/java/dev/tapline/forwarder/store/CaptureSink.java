package dev.tapline.forwarder.store;

import java.util.List;

/**
 * Where prepared captures go: the embedded store today, a streaming sink next.
 *
 * <p>{@link #store} is called by one thread at a time (the {@link StoreWriter}), never concurrently, so an
 * implementation needs no locking of its own. It is all or nothing: when it returns, every record it reports as
 * {@link SinkOutcome#STORED} is durable and the forwarder may ack it; when it throws, nothing of the call may be
 * relied on and the records are not acked (the proxy sends them again).
 */
public interface CaptureSink {

    /**
     * Stores the records durably and returns one outcome per record, in the order given. A record whose capture id
     * was stored before (in an earlier call or earlier in this list) is a {@link SinkOutcome#DUPLICATE}.
     *
     * @throws StoreException when the records could not be made durable
     */
    List<SinkOutcome> store(List<StoredCapture> records);
}
