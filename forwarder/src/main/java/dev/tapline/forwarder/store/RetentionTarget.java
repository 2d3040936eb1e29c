package dev.tapline.forwarder.store;

/** What retention needs of a store. Called on the {@link StoreWriter} thread only. */
public interface RetentionTarget {

    /** Bytes the stored captures and their indexes take up (free pages not counted). */
    long usedBytes();

    /** Deletes at most {@code max} captures that started before {@code tsNanos}; returns how many. */
    int deleteOlderThan(long tsNanos, int max);

    /** Deletes the {@code max} captures that started first; returns how many. */
    int deleteOldest(int max);
}
