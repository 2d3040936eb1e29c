package dev.tapline.goproxy.capture;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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
            OpenBatch batch = new OpenBatch(queue, batchRecords, batchBytes);
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
        submit(w -> encoder.http(w, connection, exchange));
    }

    @Override
    public void connection(ConnectionCapture summary) {
        submit(w -> encoder.connection(w, summary));
    }

    private void submit(Consumer<ProtoWriter> encoding) {
        stats.produced.increment();
        if (!queue.hasRoom()) {
            stats.droppedQueueFull.increment();
            return;
        }
        if (mine.get().add(encoding, stats)) {
            wakeUploader.run();
        }
    }

    /** Seals every open batch holding captures older than {@code maxAgeNanos} (0: all of them). */
    public void sealOlderThan(long maxAgeNanos) {
        long now = System.nanoTime();
        for (OpenBatch batch : all) {
            batch.sealIfOlder(maxAgeNanos, now);
        }
    }
}
