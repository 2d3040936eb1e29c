package dev.tapline.forwarder.store;

/** What a {@link CaptureSink} did with one record of a batch. */
public enum SinkOutcome {
    /** Newly stored. */
    STORED,
    /** A record with the same capture id was stored before; this one was not stored again. */
    DUPLICATE
}
