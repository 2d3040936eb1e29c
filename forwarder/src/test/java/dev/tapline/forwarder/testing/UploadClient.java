package dev.tapline.forwarder.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import io.grpc.stub.StreamObserver;

/** Sends batches on one Upload stream, half-closes it, and collects the acks until the server completes. */
public final class UploadClient {
    private UploadClient() {
    }

    public static List<UploadAck> send(ForwarderGrpc.ForwarderStub stub, UploadBatch... batches) {
        List<UploadAck> acks = new CopyOnWriteArrayList<>();
        CompletableFuture<List<UploadAck>> done = new CompletableFuture<>();
        StreamObserver<UploadBatch> requests = stub.upload(new StreamObserver<>() {
            @Override
            public void onNext(UploadAck ack) {
                acks.add(ack);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(List.copyOf(acks));
            }
        });
        for (UploadBatch b : batches) {
            requests.onNext(b);
        }
        requests.onCompleted();
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("upload did not complete: " + e, e);
        }
    }
}
