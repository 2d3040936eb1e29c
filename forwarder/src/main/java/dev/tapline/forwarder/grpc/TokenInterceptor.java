package dev.tapline.forwarder.grpc;

import java.net.SocketAddress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.forwarder.auth.BearerToken;
import dev.tapline.forwarder.config.ForwarderConfig;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;

/**
 * With FORWARDER_TOKEN set, lets through only calls whose metadata carry {@code authorization: Bearer <token>};
 * any other call ends with UNAUTHENTICATED before it reaches a service, and a WARN line says who tried. The
 * standard gRPC health service stays open so probes need no secret.
 */
@GlobalInterceptor
@ApplicationScoped
public class TokenInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(TokenInterceptor.class);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final String HEALTH_SERVICE = "grpc.health.v1.Health";

    private final BearerToken token;

    @Inject
    public TokenInterceptor(ForwarderConfig config) {
        this.token = BearerToken.of(config.token());
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        if (!token.required() || HEALTH_SERVICE.equals(call.getMethodDescriptor().getServiceName())
                || token.allows(headers.get(AUTHORIZATION))) {
            return next.startCall(call, headers);
        }
        SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String why = headers.containsKey(AUTHORIZATION) ? "wrong token" : "no authorization metadata";
        LOG.warnf("Refused gRPC call %s from %s: %s", call.getMethodDescriptor().getFullMethodName(), peer, why,
                LogFields.of("method", call.getMethodDescriptor().getFullMethodName(), "remoteAddr",
                        String.valueOf(peer), "reason", why));
        call.close(Status.UNAUTHENTICATED.withDescription("missing or invalid FORWARDER_TOKEN: send the metadata"
                + " \"authorization: Bearer <token>\""), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
