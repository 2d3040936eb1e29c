package dev.tapline.goproxy.outbox;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tapline.goproxy.capture.CaptureSink;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.ConnectionCapture;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.relay.ConnectionInfo;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Turns captures into upload batches on the thread that made them.
 *
 * <pre>
 *   event loop: exchange done ──encode──▶ its OpenBatch ──full──▶ CaptureQueue ──wake──▶ forwarder link
 *   link timer: every batch delay ──────▶ seal the OpenBatches holding older captures ──▶ CaptureQueue
 * </pre>
 *
 * Encoding on the event loop, straight into bytes, costs less than making objects for another thread to encode
 * later, and leaves one hand-off per batch instead of one per capture: the relay's core is shared by everything
 * goproxy does, so the cheapest path wins.
 */
public final class CaptureBatcher implements CaptureSink {
    private final CaptureQueue queue;
    private final CaptureStats stats;
    private final CaptureEncoder encoder;
    private final int batchRecords;
    private final int batchBytes;
    private final Runnable wakeUploader;
    private final List<OpenBatch> all = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<OpenBatch> mine = new FastThreadLocal<>() {
        @Override
        protected OpenBatch initialValue() {
            OpenBatch batch = new OpenBatch(queue, encoder, stats, batchRecords, batchBytes);
            all.add(batch);
            return batch;
        }
    };

    /**
     * @param batchRecords captures per batch, at most
     * @param batchBytes a batch is sealed once it holds this many bytes
     * @param wakeUploader called (on the producing thread) after a full batch was sealed
     */
    public CaptureBatcher(CaptureQueue queue, CaptureStats stats, CaptureIds ids, int batchRecords, long batchBytes,
            Runnable wakeUploader) {
        this.queue = queue;
        this.stats = stats;
        this.encoder = new CaptureEncoder(ids);
        this.batchRecords = Math.max(1, batchRecords);
        this.batchBytes = (int) Math.min(Integer.MAX_VALUE - 1024, Math.max(1, batchBytes));
        this.wakeUploader = wakeUploader;
    }

    @Override
    public void http(ConnectionInfo connection, HttpExchangeRecord exchange) {
        if (hasRoom() && mine.get().addHttp(connection, exchange)) {
            wakeUploader.run();
        }
    }

    @Override
    public void http2(ConnectionInfo connection, Http2StreamRecord stream) {
        if (hasRoom() && mine.get().addHttp2(connection, stream)) {
            wakeUploader.run();
        }
    }

    @Override
    public void connection(ConnectionCapture summary) {
        if (hasRoom() && mine.get().addConnection(summary)) {
            wakeUploader.run();
        }
    }

    /** An exchange starting while the queue is full is dropped at once, counted as any capture dropped here. */
    @Override
    public boolean admit() {
        if (queue.hasRoom()) {
            return true;
        }
        dropped();
        return false;
    }

    /**
     * A body about to be kept is dropped with its exchange unless it fits in the queue as it is now. Nothing is
     * reserved: exchanges in flight on other connections may take the room first and have this one dropped at its
     * end after all, but no longer every one of them while the queue stays within a capture of its bound.
     */
    @Override
    public boolean admitBody(long bytes) {
        if (queue.hasRoomFor(bytes)) {
            return true;
        }
        dropped();
        return false;
    }

    /** Counts a capture made; false (and counted as dropped) when the queue is already full. */
    private boolean hasRoom() {
        if (!queue.hasRoom()) {
            dropped();
            return false;
        }
        stats.produced.increment();
        return true;
    }

    private void dropped() {
        stats.produced.increment();
        stats.droppedQueueFull.increment();
    }

    /** Seals every open batch holding captures older than {@code maxAgeNanos} (0: all of them). */
    public void sealOlderThan(long maxAgeNanos) {
        long now = System.nanoTime();
        for (OpenBatch batch : all) {
            batch.sealIfOlder(maxAgeNanos, now);
        }
    }
}
