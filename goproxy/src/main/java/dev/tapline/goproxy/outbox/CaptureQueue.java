package dev.tapline.goproxy.outbox;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The captures waiting for the uploader, bounded in bytes: those still in a thread's {@link OpenBatch} and the
 * sealed batches. Many producers (the relay's event loops), one consumer (the forwarder link).
 *
 * <p>Nothing here blocks: a capture that does not fit is dropped and counted, so a slow or absent forwarder costs
 * the relay nothing but the drop.
 */
public final class CaptureQueue {
    private final ConcurrentLinkedQueue<CaptureBatch> sealed = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final long maxBytes;

    public CaptureQueue(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Cheap check before encoding: false when the queue is already full. */
    boolean hasRoom() {
        return bytes.get() < maxBytes;
    }

    /** Whether {@code size} more bytes fit now (a hint: nothing is reserved). */
    boolean hasRoomFor(long size) {
        return bytes.get() + size <= maxBytes;
    }

    /** Counts one encoded capture of {@code size} bytes in, if it fits. */
    boolean reserve(int size) {
        if (bytes.addAndGet(size) > maxBytes) {
            bytes.addAndGet(-size);
            return false;
        }
        records.incrementAndGet();
        return true;
    }

    /** Takes back a reservation whose captures were dropped after all. */
    void unreserve(long size, int captures) {
        bytes.addAndGet(-size);
        records.addAndGet(-captures);
    }

    /** A sealed batch, its captures already reserved. */
    void push(CaptureBatch batch) {
        sealed.add(batch);
    }

    /** The oldest sealed batch, or null; it no longer counts against the bound. */
    public CaptureBatch take() {
        CaptureBatch batch = sealed.poll();
        if (batch != null) {
            bytes.addAndGet(-batch.length());
            records.addAndGet(-batch.records());
        }
        return batch;
    }

    public boolean hasSealed() {
        return !sealed.isEmpty();
    }

    /** Bytes of the captures waiting, sealed or not. */
    public long bytes() {
        return bytes.get();
    }

    /** Captures waiting, sealed or not. */
    public long size() {
        return records.get();
    }

    /** Drops the sealed batches (shutdown), releasing them; returns how many captures they held. */
    public long discardSealed() {
        long n = 0;
        for (CaptureBatch b = take(); b != null; b = take()) {
            n += b.records();
            b.release();
        }
        return n;
    }
}
