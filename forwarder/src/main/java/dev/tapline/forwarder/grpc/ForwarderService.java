package dev.tapline.forwarder.grpc;

import java.time.Instant;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.HeartbeatResponse;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.capture.v1.RegisterResponse;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.common.config.BuildInfo;
import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.ingest.Ingest;
import dev.tapline.forwarder.ingest.ReceivedBatch;
import dev.tapline.forwarder.registry.IdentityRules;
import dev.tapline.forwarder.registry.ProxyRegistry;
import dev.tapline.forwarder.registry.RegistryMeters;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;

/**
 * The gRPC face of the forwarder: turns proto calls into registry and ingest operations. Implemented on the
 * grpc-java AsyncService API because Upload needs its manual flow control ({@link UploadStream}), and bound by
 * hand ({@link #bindService}) for Upload's own marshaller.
 */
@GrpcService
public class ForwarderService implements ForwarderGrpc.AsyncService, BindableService {
    private static final Logger LOG = Logger.getLogger(ForwarderService.class);

    @Inject
    ProxyRegistry registry;
    @Inject
    ForwarderConfig config;
    @Inject
    BuildInfo build;
    @Inject
    Ingest ingest;
    @Inject
    RegistryMeters registryMeters;
    @Inject
    UploadMeters uploadMeters;

    private UploadBudget budget;

    @PostConstruct
    void init() {
        budget = new UploadBudget(config.upload().maxInFlightBatches());
    }

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        String proxyId = request.getProxy().getProxyId();
        String problem = IdentityRules.problem(request.getProxy());
        if (problem != null) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
            return;
        }
        registry.register(request.getProxy());
        registryMeters.registered();
        LOG.infof("REGISTER proxy ID %s at timestamp %s", proxyId, timestamp(request.getSentAtUnixNanos()));
        response.onNext(RegisterResponse.newBuilder()
                .setClusterName(config.clusterName())
                .setForwarderVersion(build.version())
                .setHeartbeatIntervalMs((int) config.heartbeatInterval().toMillis())
                .setReapAfterMs((int) config.reapAfter().toMillis())
                .build());
        response.onCompleted();
    }

    @Override
    public void heartbeat(HeartbeatRequest request, StreamObserver<HeartbeatResponse> response) {
        boolean known = registry.checkIn(request.getProxyId(), request.getCounters());
        response.onNext(HeartbeatResponse.newBuilder().setKnown(known).build());
        response.onCompleted();
    }

    /**
     * The generated binding, but Upload's batches read by {@link UploadBatchMarshaller}: each capture arrives in an
     * array of its own that is stored as it is, instead of being copied out of the message and encoded again.
     */
    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition generated = ForwarderGrpc.bindService(this);
        MethodDescriptor<UploadBatch, UploadAck> upload = ForwarderGrpc.getUploadMethod();
        MethodDescriptor<ReceivedBatch, UploadAck> received = upload.toBuilder(new UploadBatchMarshaller(),
                upload.getResponseMarshaller()).build();
        ServiceDescriptor service = generated.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(service.getName())
                .setSchemaDescriptor(service.getSchemaDescriptor());
        for (MethodDescriptor<?, ?> m : service.getMethods()) {
            descriptor.addMethod(m == upload ? received : m);
        }
        ServerServiceDefinition.Builder definition = ServerServiceDefinition.builder(descriptor.build());
        for (ServerMethodDefinition<?, ?> m : generated.getMethods()) {
            if (m.getMethodDescriptor() != upload) {
                definition.addMethod(m);
            }
        }
        return definition.addMethod(received, ServerCalls.asyncBidiStreamingCall(this::receive)).build();
    }

    /** Upload as generated (unbound, see {@link #bindService}): each capture is encoded again to be stored. */
    @Override
    public StreamObserver<UploadBatch> upload(StreamObserver<UploadAck> acks) {
        StreamObserver<ReceivedBatch> stream = receive(acks);
        return new StreamObserver<>() {
            @Override
            public void onNext(UploadBatch batch) {
                stream.onNext(ReceivedBatch.of(batch));
            }

            @Override
            public void onError(Throwable t) {
                stream.onError(t);
            }

            @Override
            public void onCompleted() {
                stream.onCompleted();
            }
        };
    }

    /** Upload, with the batches as {@link UploadBatchMarshaller} reads them. */
    StreamObserver<ReceivedBatch> receive(StreamObserver<UploadAck> acks) {
        UploadStream stream = new UploadStream((ServerCallStreamObserver<UploadAck>) acks, ingest.openLane(), budget,
                uploadMeters, config.upload().window());
        stream.start();
        return stream;
    }

    /** The manual prints Go's "<nil>" for a missing timestamp. */
    private static String timestamp(long unixNanos) {
        if (unixNanos == 0) {
            return "<nil>";
        }
        return Instant.ofEpochSecond(0, unixNanos).toString();
    }
}
