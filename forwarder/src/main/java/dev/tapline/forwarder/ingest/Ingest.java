package dev.tapline.forwarder.ingest;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tapline.capture.v1.UploadAck;
import dev.tapline.forwarder.store.CaptureDestination;
import dev.tapline.forwarder.store.SinkOutcome;

/**
 * Takes upload batches from the gRPC streams to the store and back as acks, off the gRPC threads:
 *
 * <pre>
 *   stream (event loop) --submit--&gt; preparing pool: validate, DLP, encode --write (waits while full)--&gt;
 *   CaptureDestination (the StoreWriter): commit --&gt; ack future completes (writer thread) --&gt; stream sends the ack
 * </pre>
 *
 * Each stream gets a {@link Lane}: its batches are prepared one after the other and queued to the writer in the
 * order they arrived, so its acks come back in that order too. What waits here is bounded by the streams' flow
 * control (see {@code grpc.UploadStream}): a stream hands over a batch only within its window and the global
 * budget, so the pool's queue never holds more than those allow.
 */
public final class Ingest implements AutoCloseable {
    private final BatchPreparer preparer;
    private final CaptureDestination writer;
    private final IngestMeters metrics;
    private final ExecutorService pool;

    public Ingest(BatchPreparer preparer, CaptureDestination writer, IngestMeters metrics, int threads) {
        this.preparer = preparer;
        this.writer = writer;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "ingest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** A new lane for one upload stream. */
    public Lane openLane() {
        return new Lane();
    }

    /** The batches of one stream, prepared and stored in arrival order. */
    public final class Lane {
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        private Lane() {
        }

        /** Prepares and stores the batch; the future completes with its ack once its records are durable. */
        public synchronized CompletableFuture<UploadAck> submit(ReceivedBatch batch) {
            CompletableFuture<UploadAck> ack = new CompletableFuture<>();
            try {
                tail = tail.handleAsync((ignored, previousFailure) -> {
                    prepareAndStore(batch, ack);
                    return null;
                }, pool);
            } catch (RejectedExecutionException e) {
                ack.completeExceptionally(e);
            }
            return ack;
        }
    }

    private void prepareAndStore(ReceivedBatch batch, CompletableFuture<UploadAck> ack) {
        try {
            PreparedBatch prepared = preparer.prepare(batch);
            if (prepared.rows().isEmpty()) {
                finish(prepared, List.of(), ack);
                return;
            }
            writer.write(prepared.rows()).whenComplete((outcomes, failure) -> {
                if (failure != null) {
                    ack.completeExceptionally(failure);
                } else {
                    finish(prepared, outcomes, ack);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ack.completeExceptionally(e);
        } catch (RuntimeException e) {
            ack.completeExceptionally(e);
        }
    }

    private void finish(PreparedBatch prepared, List<SinkOutcome> outcomes, CompletableFuture<UploadAck> ack) {
        UploadAck done = prepared.ack(outcomes);
        metrics.batchDone(done.getStored(), done.getDuplicates(), done.getRejectionsCount());
        ack.complete(done);
    }

    /** Stops preparing; batches waiting for the writer fail (their streams are ending anyway). */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
