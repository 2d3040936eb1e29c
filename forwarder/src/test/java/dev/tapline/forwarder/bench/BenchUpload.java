package dev.tapline.forwarder.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import io.grpc.stub.StreamObserver;

/**
 * One Upload stream fed as goproxy feeds it: a sender thread builds the batches and keeps at most {@code unacked}
 * of them ahead of the acks, optionally no faster than one batch every {@code nanosPerBatch}.
 */
final class BenchUpload {
    private BenchUpload() {
    }

    /** Sends {@code batches} batches; completes with the captures acked as stored or duplicate, once all are acked. */
    static CompletableFuture<Long> send(ForwarderGrpc.ForwarderStub stub, int batches, IntFunction<UploadBatch> batch,
            int unacked, long nanosPerBatch) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        Semaphore window = new Semaphore(unacked);
        AtomicLong acked = new AtomicLong();
        StreamObserver<UploadBatch> out = stub.upload(new StreamObserver<>() {
            @Override
            public void onNext(UploadAck ack) {
                acked.addAndGet(ack.getStored() + ack.getDuplicates());
                window.release();
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(acked.get());
            }
        });
        Thread sender = new Thread(() -> {
            long start = System.nanoTime();
            try {
                for (int i = 0; i < batches; i++) {
                    UploadBatch next = batch.apply(i);
                    long due = start + i * nanosPerBatch;
                    while (System.nanoTime() < due) {
                        LockSupport.parkNanos(due - System.nanoTime());
                    }
                    window.acquire();
                    // gRPC observers are not thread-safe: the sends of this thread and the half-close below
                    synchronized (out) {
                        out.onNext(next);
                    }
                }
                window.acquire(unacked);
                out.onCompleted();
            } catch (InterruptedException e) {
                done.completeExceptionally(e);
            }
        }, "bench-sender");
        sender.start();
        return done;
    }
}
