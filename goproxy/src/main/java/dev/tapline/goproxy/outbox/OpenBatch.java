package dev.tapline.goproxy.outbox;

import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.ConnectionCapture;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.relay.ConnectionInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The batch one thread is filling: captures are encoded into it as they complete and it is sealed into the
 * {@link CaptureQueue} when full (by that thread) or when old (by the forwarder link's timer).
 *
 * <pre>
 *   capture ──encode──▶ writer (its fields; long bodies by reference) ──moveTo──▶ batch (pooled, off the heap) ──seal──▶ queue
 * </pre>
 *
 * A long body is copied once on its way to the forwarder: from the capture, while it is still in the CPU's cache,
 * straight into the batch the uploader sends. The batch lives off the heap from the start (batches wait tens to
 * hundreds of milliseconds for the forwarder, and every young collection would copy them), in a buffer that is
 * never grown, which would copy it again: a capture it has no room left for seals it and starts the next batch.
 * Each buffer is sized after the last batch (doubled when that one ran out of room, up to CAPTURE_BATCH_BYTES),
 * not at CAPTURE_BATCH_BYTES: batches of small captures, sealed by their record count or their age, stay small,
 * and the pool keeps its chunks instead of freeing and zeroing a new one per batch.
 *
 * <p>Each thread has its own, so the lock is uncontended but for the timer's rare visits.
 */
final class OpenBatch {
    /** The first batch buffer's size, before any batch said what they need. */
    private static final int FIRST_CAPACITY = 64 * 1024;
    /** The largest batch buffer asked for ahead, whatever the batch size (the setting allows at most this). */
    private static final int MAX_CAPACITY = 4 << 20;

    private final CaptureQueue queue;
    private final CaptureEncoder encoder;
    private final CaptureStats stats;
    private final int maxRecords;
    private final int maxBytes;
    /** One capture at a time, until it is moved into the batch. */
    private final ProtoWriter writer = new ProtoWriter(8 * 1024);
    /** Null until the batch's first capture. */
    private ByteBuf batch;
    private int nextCapacity;
    private int records;
    private long firstNanos;

    OpenBatch(CaptureQueue queue, CaptureEncoder encoder, CaptureStats stats, int maxRecords, int maxBytes) {
        this.queue = queue;
        this.encoder = encoder;
        this.stats = stats;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.nextCapacity = Math.min(FIRST_CAPACITY, maxBytes);
    }

    /**
     * Encodes one exchange; returns true when a batch was sealed. A capture that does not fit in the queue's byte
     * budget, or finds no direct memory for a new batch, is dropped and counted.
     */
    synchronized boolean addHttp(ConnectionInfo connection, HttpExchangeRecord exchange) {
        encoder.http(writer, connection, exchange);
        return added();
    }

    /** Encodes one HTTP/2 stream; as {@link #addHttp}. */
    synchronized boolean addHttp2(ConnectionInfo connection, Http2StreamRecord stream) {
        encoder.http2(writer, connection, stream);
        return added();
    }

    /** Encodes one connection summary; as {@link #addHttp}. */
    synchronized boolean addConnection(ConnectionCapture summary) {
        encoder.connection(writer, summary);
        return added();
    }

    /** Moves the capture just encoded into the batch if the queue has room for it; true if a batch was sealed. */
    private boolean added() {
        int length = writer.position();
        if (!queue.reserve(length)) {
            writer.clear();
            stats.droppedQueueFull.increment();
            return false;
        }
        boolean sealed = false;
        if (batch != null && batch.writableBytes() < length) {
            nextCapacity = (int) Math.min(Math.min(maxBytes, MAX_CAPACITY), 2L * batch.capacity());
            seal();
            sealed = true;
        }
        if (batch == null) {
            batch = newBatch(Math.max(length, nextCapacity));
            if (batch == null) {
                queue.unreserve(length, 1);
                writer.clear();
                stats.droppedQueueFull.increment();
                return sealed;
            }
        }
        writer.moveTo(batch);
        if (records++ == 0) {
            firstNanos = System.nanoTime();
        }
        if (records >= maxRecords || batch.readableBytes() >= maxBytes) {
            sealAsNext();
            return true;
        }
        return sealed;
    }

    /** Seals the batch if it holds captures at least {@code maxAgeNanos} old (0: any). */
    synchronized void sealIfOlder(long maxAgeNanos, long nowNanos) {
        if (records > 0 && nowNanos - firstNanos >= maxAgeNanos) {
            sealAsNext();
        }
    }

    /** Seals a batch that did not run out of room: the next one gets a buffer of its size, and a quarter more. */
    private void sealAsNext() {
        int length = batch.readableBytes();
        nextCapacity = (int) Math.min(Math.min(maxBytes, MAX_CAPACITY), Math.max(FIRST_CAPACITY, length + length / 4L));
        seal();
    }

    private void seal() {
        queue.push(new CaptureBatch(fitted(batch), records));
        batch = null;
        records = 0;
    }

    /**
     * The direct memory limit (MaxDirectMemorySize) is below what the queue may hold: a capture that finds no room
     * for a new batch is dropped and counted like any that does not fit, and the relay goes on.
     */
    private static ByteBuf newBatch(int capacity) {
        if (!DirectMemoryBudget.hasRoomFor(capacity)) {
            return null;
        }
        try {
            return PooledByteBufAllocator.DEFAULT.directBuffer(capacity);
        } catch (OutOfMemoryError noDirectMemory) {
            return null; // another thread took the room in between
        }
    }

    /**
     * A batch sealed less than half full (by its age, after a burst) is copied into a buffer of its size, so that
     * the queue's batches hold at most twice the bytes it counts.
     */
    private static ByteBuf fitted(ByteBuf sealed) {
        int length = sealed.readableBytes();
        if (length >= sealed.capacity() / 2 || !DirectMemoryBudget.hasRoomFor(length)) {
            return sealed;
        }
        try {
            ByteBuf exact = PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
            exact.writeBytes(sealed);
            sealed.release();
            return exact;
        } catch (OutOfMemoryError noDirectMemory) {
            return sealed;
        }
    }
}
