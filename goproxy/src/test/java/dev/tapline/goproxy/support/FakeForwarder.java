package dev.tapline.goproxy.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.HeartbeatResponse;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.capture.v1.RegisterResponse;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

/**
 * A real gRPC forwarder for goproxy's tests, on 127.0.0.1 and a free port. Its "store" (captures by id, in
 * arrival order) outlives {@link #restart()}, as a durable store would; a capture counts as stored only when its
 * batch is acked. {@link #holdAcks(boolean)} makes it receive batches without acking (nor storing) them.
 */
public final class FakeForwarder implements AutoCloseable {
    public final Map<String, Capture> stored = new ConcurrentHashMap<>();
    public final List<Capture> storedInOrder = new CopyOnWriteArrayList<>();
    public final AtomicInteger registrations = new AtomicInteger();
    public final AtomicInteger heartbeats = new AtomicInteger();
    public final AtomicInteger duplicates = new AtomicInteger();
    public final AtomicInteger batchesReceived = new AtomicInteger();
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    public final AtomicBoolean forgetProxiesOnce = new AtomicBoolean();
    /** While set, registrations are refused with this status, as a forwarder refuses a wrong token or identity. */
    public volatile Status refuseRegistrations;
    private final AtomicBoolean holdAcks = new AtomicBoolean();
    private volatile int port;
    private Server server;

    public FakeForwarder() throws IOException {
        start(0);
    }

    private void start(int wanted) throws IOException {
        ServerInterceptor auth = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
                String value = headers.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER));
                authorizations.add(value == null ? "" : value);
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forAddress(new java.net.InetSocketAddress("127.0.0.1", wanted))
                .addService(ServerInterceptors.intercept(new Service(), auth)).build().start();
        port = server.getPort();
    }

    public int port() {
        return port;
    }

    public void holdAcks(boolean hold) {
        holdAcks.set(hold);
    }

    /** Dies abruptly (connections reset), keeping what it stored. */
    public void kill() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Comes back on the same port with the same store. */
    public void restart() throws IOException {
        start(port);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private final class Service extends ForwarderGrpc.ForwarderImplBase {
        @Override
        public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
            registrations.incrementAndGet();
            Status refusal = refuseRegistrations;
            if (refusal != null) {
                response.onError(refusal.asRuntimeException());
                return;
            }
            response.onNext(RegisterResponse.newBuilder().setClusterName("fake").setForwarderVersion("v0")
                    .setHeartbeatIntervalMs(200).setReapAfterMs(1000).build());
            response.onCompleted();
        }

        @Override
        public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
            heartbeats.incrementAndGet();
            boolean known = !forgetProxiesOnce.getAndSet(false);
            response.onNext(HeartbeatResponse.newBuilder().setKnown(known).build());
            response.onCompleted();
        }

        @Override
        public StreamObserver<UploadBatch> upload(StreamObserver<UploadAck> acks) {
            return new StreamObserver<>() {
                @Override
                public void onNext(UploadBatch batch) {
                    batchesReceived.incrementAndGet();
                    if (holdAcks.get()) {
                        return;
                    }
                    int fresh = 0;
                    int dups = 0;
                    List<Capture> added = new ArrayList<>();
                    for (Capture c : batch.getCapturesList()) {
                        if (stored.putIfAbsent(c.getId(), c) == null) {
                            added.add(c);
                            fresh++;
                        } else {
                            dups++;
                        }
                    }
                    storedInOrder.addAll(added);
                    duplicates.addAndGet(dups);
                    synchronized (acks) {
                        acks.onNext(UploadAck.newBuilder().setBatchId(batch.getBatchId()).setStored(fresh).setDuplicates(dups).build());
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    synchronized (acks) {
                        acks.onCompleted();
                    }
                }
            };
        }
    }
}
