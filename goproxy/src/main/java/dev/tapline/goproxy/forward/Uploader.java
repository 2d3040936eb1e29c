package dev.tapline.goproxy.forward;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

import org.jboss.logging.Logger;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.Rejection;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.capture.CaptureQueue;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.capture.PendingCapture;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

/**
 * Moves captures from the {@link CaptureQueue} to the forwarder's Upload stream in batches.
 *
 * <pre>
 *   queue ──take──▶ batch(id) ──▶ unacked ──send while isReady()──▶ stream
 *                                   ▲  └── ack(id) removes it
 *                                   └── a new stream resends every unacked batch first, same ids
 * </pre>
 *
 * Sends only while the stream is ready (gRPC flow control) and while fewer than maxUnackedBatches are in flight,
 * so memory is bounded by the queue plus the unacked batches. Runs only on the link executor.
 */
final class Uploader {
    private static final Logger LOG = Logger.getLogger(Uploader.class);

    interface FailureHandler {
        void failed(long generation, Throwable error);
    }

    private final LinkSettings settings;
    private final CaptureQueue queue;
    private final CaptureStats stats;
    private final Executor exec;
    private final FailureHandler onFailure;
    private final Map<Long, UploadBatch> unacked = new LinkedHashMap<>();
    private final ArrayDeque<Long> resend = new ArrayDeque<>();
    private final String idPrefix;
    private long nextBatchId = 1;
    private long nextCaptureId;
    private ClientCallStreamObserver<UploadBatch> stream;

    Uploader(LinkSettings settings, CaptureQueue queue, CaptureStats stats, Executor exec, FailureHandler onFailure) {
        this.settings = settings;
        this.queue = queue;
        this.stats = stats;
        this.exec = exec;
        this.onFailure = onFailure;
        // unique per proxy run, so ids never collide with an earlier run's after a restart
        this.idPrefix = settings.identity().proxyId() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
    }

    boolean isOpen() {
        return stream != null;
    }

    void open(ForwarderGrpc.ForwarderStub stub, long generation) {
        close();
        resend.addAll(unacked.keySet());
        stub.upload(new ClientResponseObserver<UploadBatch, UploadAck>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<UploadBatch> requests) {
                requests.setOnReadyHandler(() -> exec.execute(() -> pump(false)));
                exec.execute(() -> stream = requests);
            }

            @Override
            public void onNext(UploadAck ack) {
                exec.execute(() -> onAck(ack));
            }

            @Override
            public void onError(Throwable t) {
                exec.execute(() -> onFailure.failed(generation, t));
            }

            @Override
            public void onCompleted() {
                exec.execute(() -> onFailure.failed(generation, new IllegalStateException("forwarder closed the upload stream")));
            }
        });
    }

    void close() {
        if (stream != null) {
            try {
                stream.cancel("reconnecting", null);
            } catch (RuntimeException e) {
                // already gone
            }
            stream = null;
        }
        resend.clear();
    }

    /** Sends what it may: resends first, then full batches, then (when {@code flushPartial}) a partial one. */
    void pump(boolean flushPartial) {
        while (stream != null && stream.isReady()) {
            Long again = resend.poll();
            if (again != null) {
                UploadBatch batch = unacked.get(again);
                if (batch != null) {
                    send(batch);
                }
                continue;
            }
            if (unacked.size() >= settings.maxUnackedBatches() || queue.isEmpty()) {
                return;
            }
            if (!flushPartial && queue.size() < settings.batchRecords() && queue.bytes() < settings.batchBytes()) {
                return;
            }
            List<PendingCapture> items = queue.take(settings.batchRecords(), settings.batchBytes());
            UploadBatch.Builder batch = UploadBatch.newBuilder().setBatchId(nextBatchId++)
                    .setProxyId(settings.identity().proxyId());
            for (PendingCapture item : items) {
                batch.addCaptures(item.toProto(idPrefix + (nextCaptureId++), settings.identity().proxyId()));
            }
            UploadBatch built = batch.build();
            unacked.put(built.getBatchId(), built);
            send(built);
        }
    }

    private void send(UploadBatch batch) {
        stream.onNext(batch);
        stats.sent.add(batch.getCapturesCount());
    }

    private void onAck(UploadAck ack) {
        UploadBatch batch = unacked.remove(ack.getBatchId());
        if (batch == null) {
            return; // a late ack for a batch already acked on an earlier stream
        }
        stats.acked.add(ack.getStored() + ack.getDuplicates());
        if (ack.getRejectionsCount() > 0) {
            stats.rejected.add(ack.getRejectionsCount());
            Rejection first = ack.getRejections(0);
            LOG.warnf("Forwarder rejected captures", LogFields.of("batchID", ack.getBatchId(),
                    "rejected", ack.getRejectionsCount(), "firstReason", first.getReason(), "captureID", first.getCaptureId()));
        }
        pump(false);
    }

    /** Nothing queued and nothing waiting for an ack. */
    boolean drained() {
        return queue.isEmpty() && unacked.isEmpty();
    }

    /** Shutdown: closes the stream and returns how many captures were never acked (now dropped). */
    long abandon() {
        long lost = unacked.values().stream().mapToLong(UploadBatch::getCapturesCount).sum();
        unacked.clear();
        stats.droppedShutdown.add(lost);
        lost += queue.discardAll();
        if (stream != null) {
            try {
                stream.onCompleted();
            } catch (RuntimeException e) {
                // already gone
            }
            stream = null;
        }
        return lost;
    }
}
