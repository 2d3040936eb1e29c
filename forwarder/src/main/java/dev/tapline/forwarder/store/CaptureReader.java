package dev.tapline.forwarder.store;

import java.util.List;
import java.util.Optional;

/** The read side of the store, for the read API. Safe to call from many threads while the writer writes. */
public interface CaptureReader {

    /** The captures matching the query, newest first (by start time, then by arrival). */
    List<StoredCapture> find(CaptureQuery query);

    /**
     * The ids of the captures matching the query, in {@link #find}'s order, without reading the records: a caller
     * that reads them one by one with {@link #byId} holds one capture in memory at a time, however large the
     * bodies are.
     */
    List<String> findIds(CaptureQuery query);

    /** The capture with this id, if stored. */
    Optional<StoredCapture> byId(String id);
}
