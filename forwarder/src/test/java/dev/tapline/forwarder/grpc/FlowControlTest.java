package dev.tapline.forwarder.grpc;

import static dev.tapline.forwarder.testing.Captures.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.forwarder.metrics.ForwarderMetrics;
import dev.tapline.forwarder.testing.BlockingSink;
import dev.tapline.forwarder.testing.BlockingSinkProfile;
import dev.tapline.forwarder.testing.Captures;
import io.grpc.Channel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A store that does not move must stop the proxy, not fill the forwarder: the server reads no more than its window
 * of batches, HTTP/2 flow control then stops the client ({@code isReady() == false}), and everything moves again
 * once the store does.
 */
@QuarkusTest
@TestProfile(BlockingSinkProfile.class)
class FlowControlTest {
    private static final int BATCHES = 100;
    private static final int BATCH_BYTES = 128 * 1024;

    @GrpcClient("forwarder")
    Channel channel;
    @Inject
    BlockingSink sink;
    @Inject
    ForwarderMetrics metrics;

    @Test
    void aStoreThatDoesNotMovePushesBackOnTheProxyUntilItMovesAgain() throws Exception {
        String proxy = Captures.unique("pod");
        List<UploadBatch> batches = new ArrayList<>();
        for (int b = 0; b < BATCHES; b++) {
            Capture.Builder c = Captures.http(proxy + "-" + b, proxy, "/upload");
            c.getHttpBuilder().getRequestBuilder().setMethod("POST").setBody(ByteString.copyFrom(new byte[BATCH_BYTES]))
                    .setBodySize(BATCH_BYTES);
            batches.add(batch(b, proxy, List.of(c.build())));
        }
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean sawNotReady = new AtomicBoolean();
        List<UploadAck> acks = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long batchesBefore = metrics.snapshot().batches();

        ForwarderGrpc.newStub(channel).upload(new ClientResponseObserver<UploadBatch, UploadAck>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<UploadBatch> requests) {
                // the manualflowcontrol way: send only while the transport says it can take more
                requests.setOnReadyHandler(() -> {
                    while (requests.isReady() && sent.get() < BATCHES) {
                        requests.onNext(batches.get(sent.getAndIncrement()));
                    }
                    if (sent.get() < BATCHES) {
                        sawNotReady.set(true);
                    } else if (sent.get() == BATCHES && sent.compareAndSet(BATCHES, BATCHES + 1)) {
                        requests.onCompleted();
                    }
                });
            }

            @Override
            public void onNext(UploadAck ack) {
                synchronized (acks) {
                    acks.add(ack);
                }
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> sawNotReady.get() && sink.calls() == 1);
        // stays blocked: nothing more is read than the window, whatever the client still has to send
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5))
                .until(() -> metrics.snapshot().batches() - batchesBefore <= BlockingSinkProfile.WINDOW);
        int sentWhileBlocked = Math.min(sent.get(), BATCHES);
        assertThat(sentWhileBlocked).as("batches the client could send while the store was stuck").isLessThan(BATCHES / 2);
        assertThat(acks).isEmpty();

        sink.open();

        done.get(30, TimeUnit.SECONDS);
        assertThat(acks).hasSize(BATCHES);
        assertThat(acks).extracting(UploadAck::getBatchId).doesNotHaveDuplicates();
        assertThat(acks.stream().mapToInt(UploadAck::getStored).sum()).isEqualTo(BATCHES);
    }
}
