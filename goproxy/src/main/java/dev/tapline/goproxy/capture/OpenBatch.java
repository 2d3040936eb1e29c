package dev.tapline.goproxy.capture;

import dev.tapline.goproxy.relay.ConnectionInfo;

/**
 * The batch one thread is filling: captures are encoded into it as they complete and it is sealed into the
 * {@link CaptureQueue} when full (by that thread) or when old (by the forwarder link's timer).
 *
 * <p>Each thread has its own, so the lock is uncontended but for the timer's rare visits.
 */
final class OpenBatch {
    private final CaptureQueue queue;
    private final CaptureEncoder encoder;
    private final int maxRecords;
    private final int maxBytes;
    private ProtoWriter writer;
    private int records;
    private long firstNanos;

    OpenBatch(CaptureQueue queue, CaptureEncoder encoder, int maxRecords, int maxBytes) {
        this.queue = queue;
        this.encoder = encoder;
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.writer = new ProtoWriter(Math.min(maxBytes, 64 * 1024));
    }

    /**
     * Encodes one exchange; returns true when that filled the batch and sealed it. A capture that does not fit in
     * the queue's byte budget is taken back out and counted as dropped.
     */
    synchronized boolean addHttp(ConnectionInfo connection, HttpExchangeRecord exchange, CaptureStats stats) {
        int mark = writer.position();
        encoder.http(writer, connection, exchange);
        return added(mark, stats);
    }

    /** Encodes one connection summary; as {@link #addHttp}. */
    synchronized boolean addConnection(ConnectionCapture summary, CaptureStats stats) {
        int mark = writer.position();
        encoder.connection(writer, summary);
        return added(mark, stats);
    }

    /** Keeps the capture encoded from {@code mark} on if the queue has room for it; true if that sealed the batch. */
    private boolean added(int mark, CaptureStats stats) {
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

    private void seal() {
        int length = writer.position();
        // the next batch will likely be about as large: start there, not at a small array that grows by copies
        queue.push(new CaptureBatch(writer.detach(queue.newBatchArray(Math.max(64, length))), length, records));
        records = 0;
    }
}
