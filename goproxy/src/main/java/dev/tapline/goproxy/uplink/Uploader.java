package dev.tapline.goproxy.uplink;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

import org.jboss.logging.Logger;

import dev.tapline.capture.v1.Rejection;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.outbox.CaptureBatch;
import dev.tapline.goproxy.outbox.CaptureQueue;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;

/**
 * Moves sealed batches from the {@link CaptureQueue} to the forwarder's Upload stream.
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

    private final int maxUnackedBatches;
    private final byte[] proxyId;
    private final CaptureQueue queue;
    private final CaptureStats stats;
    private final Executor exec;
    private final FailureHandler onFailure;
    private final Map<Long, OutgoingBatch> unacked = new LinkedHashMap<>();
    private final ArrayDeque<Long> resend = new ArrayDeque<>();
    private long nextBatchId = 1;
    private ClientCallStreamObserver<OutgoingBatch> stream;

    Uploader(int maxUnackedBatches, byte[] proxyId, CaptureQueue queue, CaptureStats stats, Executor exec,
            FailureHandler onFailure) {
        this.maxUnackedBatches = maxUnackedBatches;
        this.proxyId = proxyId;
        this.queue = queue;
        this.stats = stats;
        this.exec = exec;
        this.onFailure = onFailure;
    }

    boolean isOpen() {
        return stream != null;
    }

    void open(Channel channel, CallOptions options, long generation) {
        close();
        resend.addAll(unacked.keySet());
        ClientCalls.asyncBidiStreamingCall(channel.newCall(RawUpload.METHOD, options),
                new ClientResponseObserver<OutgoingBatch, UploadAck>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<OutgoingBatch> requests) {
                        requests.setOnReadyHandler(() -> exec.execute(Uploader.this::pump));
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
                        exec.execute(() -> onFailure.failed(generation,
                                new IllegalStateException("forwarder closed the upload stream")));
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

    /** Sends what it may: resends first, then sealed batches. */
    void pump() {
        while (stream != null && stream.isReady()) {
            Long again = resend.poll();
            if (again != null) {
                OutgoingBatch batch = unacked.get(again);
                if (batch != null) {
                    send(batch);
                }
                continue;
            }
            if (unacked.size() >= maxUnackedBatches) {
                return;
            }
            CaptureBatch next = queue.take();
            if (next == null) {
                return;
            }
            OutgoingBatch batch = OutgoingBatch.of(nextBatchId++, proxyId, next);
            unacked.put(batch.batchId(), batch);
            send(batch);
        }
    }

    private void send(OutgoingBatch batch) {
        stream.onNext(batch);
        stats.sent.add(batch.captures().records());
    }

    private void onAck(UploadAck ack) {
        OutgoingBatch batch = unacked.remove(ack.getBatchId());
        if (batch == null) {
            return; // a late ack for a batch already acked on an earlier stream
        }
        batch.captures().release(); // sent and stored
        stats.acked.add(ack.getStored() + ack.getDuplicates());
        if (ack.getRejectionsCount() > 0) {
            stats.rejected.add(ack.getRejectionsCount());
            Rejection first = ack.getRejections(0);
            LOG.warnf("Forwarder rejected captures", LogFields.of("batchID", ack.getBatchId(),
                    "rejected", ack.getRejectionsCount(), "firstReason", first.getReason(), "captureID", first.getCaptureId()));
        }
        pump();
    }

    /** Nothing sealed and waiting, nothing waiting for an ack. */
    boolean drained() {
        return !queue.hasSealed() && unacked.isEmpty();
    }

    /** Shutdown: closes the stream and returns how many captures were never acked (now dropped). */
    long abandon() {
        long lost = 0;
        for (OutgoingBatch b : unacked.values()) {
            lost += b.captures().records();
            b.captures().release();
        }
        unacked.clear();
        lost += queue.discardSealed();
        stats.droppedShutdown.add(lost);
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
