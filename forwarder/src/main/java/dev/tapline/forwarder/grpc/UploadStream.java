package dev.tapline.forwarder.grpc;

import org.jboss.logging.Logger;

import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.ingest.Ingest;
import dev.tapline.forwarder.ingest.ReceivedBatch;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * One Upload call, with manual flow control: the stream asks gRPC for one batch at a time, and only while it has
 * fewer than {@code window} batches unacked and the global {@link UploadBudget} has room. A batch not asked for
 * stays in the proxy (HTTP/2 flow control stops its sender), so a slow or full store pushes back on the proxies
 * instead of filling the forwarder's memory.
 *
 * <pre>
 *   request(1) --&gt; onNext(batch) --&gt; Ingest lane ... durable --&gt; ack --&gt; onNext(ack) --&gt; request(1) ...
 *                   '-- window not full and budget has room? request(1) at once
 * </pre>
 *
 * Acks are sent from the store writer's thread, requests from the gRPC thread: every call on the response
 * observer is made under this object's lock, as gRPC observers are not thread-safe.
 */
final class UploadStream implements StreamObserver<ReceivedBatch> {
    private static final Logger LOG = Logger.getLogger(UploadStream.class);

    private final ServerCallStreamObserver<UploadAck> acks;
    private final Ingest.Lane lane;
    private final UploadBudget budget;
    private final UploadMeters metrics;
    private final int window;

    private int unacked;
    private boolean asked;
    private boolean waitingForBudget;
    private boolean halfClosed;
    private boolean ended;

    UploadStream(ServerCallStreamObserver<UploadAck> acks, Ingest.Lane lane, UploadBudget budget,
            UploadMeters metrics, int window) {
        this.acks = acks;
        this.lane = lane;
        this.budget = budget;
        this.metrics = metrics;
        this.window = window;
    }

    /** Called from the service method, before it returns: takes over flow control. */
    void start() {
        acks.disableAutoRequest();
        acks.setOnCancelHandler(this::cancelled);
        metrics.streamOpened();
        askForNext();
    }

    @Override
    public void onNext(ReceivedBatch received) {
        synchronized (this) {
            asked = false;
            unacked++;
        }
        budget.take();
        UploadBatch batch = received.batch();
        metrics.batchReceived(batch.getCapturesCount(), received.captureBytes());
        long batchId = batch.getBatchId();
        lane.submit(received).whenComplete((ack, failure) -> acked(batchId, ack, failure));
        askForNext();
    }

    private void acked(long batchId, UploadAck ack, Throwable failure) {
        synchronized (this) {
            unacked--;
            if (!ended) {
                if (failure == null) {
                    acks.onNext(ack);
                } else {
                    end();
                    LOG.warnf("Upload stream ended: batch %d could not be stored: %s", batchId, failure.getMessage(),
                            LogFields.of("batchID", batchId));
                    acks.onError(Status.UNAVAILABLE.withDescription("the store could not take batch " + batchId
                            + ": " + failure.getMessage() + "; send it again later").asRuntimeException());
                }
            }
        }
        budget.give();
        askForNext();
        completeIfDone();
    }

    /** Asks gRPC for one more batch when the window and the budget allow; returns whether it asked. */
    private boolean askForNext() {
        synchronized (this) {
            if (ended || halfClosed || asked || unacked >= window || waitingForBudget) {
                return false;
            }
            if (!budget.roomOrWait(this::budgetFreed)) {
                waitingForBudget = true;
                return false;
            }
            asked = true;
            acks.request(1);
            return true;
        }
    }

    private boolean budgetFreed() {
        synchronized (this) {
            waitingForBudget = false;
        }
        return askForNext();
    }

    @Override
    public void onError(Throwable t) {
        // the proxy went away or cancelled: what is in flight is still stored, its acks are not sent
        synchronized (this) {
            end();
        }
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            halfClosed = true;
        }
        completeIfDone();
    }

    private void completeIfDone() {
        synchronized (this) {
            if (halfClosed && unacked == 0 && !ended) {
                end();
                acks.onCompleted();
            }
        }
    }

    private void cancelled() {
        synchronized (this) {
            end();
        }
    }

    private void end() {
        if (!ended) {
            ended = true;
            metrics.streamClosed();
        }
    }
}
