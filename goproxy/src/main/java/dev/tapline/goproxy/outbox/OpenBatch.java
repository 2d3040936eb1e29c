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
 * <p>Each thread has its own, so the lock is uncontended but for the timer's rare visits.
 */
final class OpenBatch {
    private final CaptureQueue queue;
    private final CaptureEncoder encoder;
    private final CaptureStats stats;
    private final int maxRecords;
    private final int maxBytes;
    private ProtoWriter writer;
    private int records;
    private long firstNanos;

    OpenBatch(CaptureQueue queue, CaptureEncoder encoder, CaptureStats stats, int maxRecords, int maxBytes) {
        this.queue = queue;
        this.encoder = encoder;
        this.stats = stats;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.writer = new ProtoWriter(Math.min(maxBytes, 64 * 1024));
    }

    /**
     * Encodes one exchange; returns true when that filled the batch and sealed it. A capture that does not fit in
     * the queue's byte budget is taken back out and counted as dropped.
     */
    synchronized boolean addHttp(ConnectionInfo connection, HttpExchangeRecord exchange) {
        int mark = writer.position();
        encoder.http(writer, connection, exchange);
        return added(mark);
    }

    /** Encodes one HTTP/2 stream; as {@link #addHttp}. */
    synchronized boolean addHttp2(ConnectionInfo connection, Http2StreamRecord stream) {
        int mark = writer.position();
        encoder.http2(writer, connection, stream);
        return added(mark);
    }

    /** Encodes one connection summary; as {@link #addHttp}. */
    synchronized boolean addConnection(ConnectionCapture summary) {
        int mark = writer.position();
        encoder.connection(writer, summary);
        return added(mark);
    }

    /** Keeps the capture encoded from {@code mark} on if the queue has room for it; true if that sealed the batch. */
    private boolean added(int mark) {
        if (!queue.reserve(writer.position() - mark)) {
            writer.reset(mark);
            stats.droppedQueueFull.increment();
            return false;
        }
        if (records++ == 0) {
            firstNanos = System.nanoTime();
        }
        if (records >= maxRecords || writer.position() >= maxBytes) {
            seal();
            return true;
        }
        return false;
    }

    /** Seals the batch if it holds captures at least {@code maxAgeNanos} old (0: any). */
    synchronized void sealIfOlder(long maxAgeNanos, long nowNanos) {
        if (records > 0 && nowNanos - firstNanos >= maxAgeNanos) {
            seal();
        }
    }

    /**
     * Copies the batch off the heap into the queue and starts the next one in the same array, which thus stays
     * at the size batches need and lives in the old generation instead of being allocated again for each batch.
     */
    private void seal() {
        int length = writer.position();
        int sealedRecords = records;
        ByteBuf sealed = null;
        // the direct memory limit (MaxDirectMemorySize) is below what the queue may hold: these captures are dropped
        // and counted like any that do not fit, and the relay goes on
        if (DirectMemoryBudget.hasRoomFor(length)) {
            try {
                sealed = PooledByteBufAllocator.DEFAULT.directBuffer(length, length);
                sealed.writeBytes(writer.array(), 0, length);
            } catch (OutOfMemoryError noDirectMemory) {
                sealed = null; // another thread took the room in between
            }
        }
        if (sealed == null) {
            queue.unreserve(length, sealedRecords);
            stats.droppedQueueFull.add(sealedRecords);
        }
        writer.reset(0);
        records = 0;
        if (sealed != null) {
            queue.push(new CaptureBatch(sealed, sealedRecords));
        }
    }
}
