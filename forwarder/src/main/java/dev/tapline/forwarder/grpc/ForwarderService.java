package dev.tapline.forwarder.grpc;

import java.time.Instant;

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
import dev.tapline.forwarder.registry.ProxyRegistry;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;

/** The gRPC face of the forwarder: turns proto calls into registry and ingest operations. */
@GrpcService
public class ForwarderService extends ForwarderGrpc.ForwarderImplBase {
    private static final Logger LOG = Logger.getLogger(ForwarderService.class);

    @Inject
    ProxyRegistry registry;
    @Inject
    ForwarderConfig config;
    @Inject
    BuildInfo build;

    @Override
    public void register(RegisterRequest request, StreamObserver<RegisterResponse> response) {
        String proxyId = request.getProxy().getProxyId();
        if (proxyId.isBlank()) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("proxy.proxy_id is required").asRuntimeException());
            return;
        }
        registry.register(request.getProxy());
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
        return super.upload(acks);
    }

    /** The manual prints Go's "<nil>" for a missing timestamp. */
    private static String timestamp(long unixNanos) {
        if (unixNanos == 0) {
            return "<nil>";
        }
        return Instant.ofEpochSecond(0, unixNanos).toString();
    }
}
