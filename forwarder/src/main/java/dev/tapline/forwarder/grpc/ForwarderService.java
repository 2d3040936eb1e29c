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
import dev.tapline.forwarder.registry.IdentityRules;
import dev.tapline.forwarder.registry.ProxyRegistry;
import dev.tapline.forwarder.registry.RegistryMeters;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;

/**
 * The gRPC face of the forwarder: turns proto calls into registry and ingest operations. Implemented on the
 * grpc-java ImplBase API because Upload needs its manual flow control ({@link UploadStream}).
 */
@GrpcService
public class ForwarderService extends ForwarderGrpc.ForwarderImplBase {
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

    @Override
    public StreamObserver<UploadBatch> upload(StreamObserver<UploadAck> acks) {
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
