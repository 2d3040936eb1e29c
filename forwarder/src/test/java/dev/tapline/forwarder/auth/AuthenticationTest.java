package dev.tapline.forwarder.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.forwarder.grpc.TokenInterceptor;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.LogCapture;
import dev.tapline.forwarder.testing.TokensProfile;
import dev.tapline.forwarder.testing.UploadClient;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(TokensProfile.class)
class AuthenticationTest {
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER);

    @GrpcClient("forwarder")
    Channel channel;

    private static Metadata bearer(String token) {
        Metadata m = new Metadata();
        m.put(AUTHORIZATION, "Bearer " + token);
        return m;
    }

    private ForwarderGrpc.ForwarderBlockingStub blocking(Metadata headers) {
        return ForwarderGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static RegisterRequest register(String proxy) {
        return RegisterRequest.newBuilder().setProxy(ProxyIdentity.newBuilder().setProxyId(proxy)).build();
    }

    @Test
    void everyRpcWithoutTheTokenIsRefusedAndLogged() {
        try (LogCapture log = LogCapture.of(TokenInterceptor.class)) {
            assertThatThrownBy(() -> ForwarderGrpc.newBlockingStub(channel).register(register("pod-x")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThatThrownBy(() -> blocking(bearer("wrong")).heartbeat(HeartbeatRequest.newBuilder().setProxyId("pod-x").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            assertThatThrownBy(() -> UploadClient.send(ForwarderGrpc.newStub(channel),
                    Captures.batch(1, "pod-x", List.of(Captures.http("id", "pod-x", "/").build()))))
                    .hasMessageContaining("UNAUTHENTICATED");

            assertThat(log.lines()).hasSize(3).allMatch(l -> l.startsWith("WARN Refused gRPC call tapline.capture.v1.Forwarder/"));
            assertThat(log.lines().get(0)).endsWith("reason=no authorization metadata");
            assertThat(log.lines().get(1)).endsWith("reason=wrong token");
        }
    }

    @Test
    void rpcsWithTheTokenGoThrough() {
        String proxy = Captures.unique("pod");
        Metadata token = bearer(TokensProfile.FORWARDER_TOKEN);

        assertThat(blocking(token).register(register(proxy)).getClusterName()).isEqualTo("test-cluster");
        UploadAck ack = UploadClient.send(ForwarderGrpc.newStub(channel).withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(token)),
                Captures.batch(1, proxy, List.of(Captures.http(proxy + "-1", proxy, "/").build()))).get(0);
        assertThat(ack.getStored()).isEqualTo(1);
    }

    @Test
    void theReadApiWantsItsOwnToken() {
        given().get("/api/v1/proxies").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("error", startsWith("missing or invalid API token"));
        given().header("Authorization", "Bearer " + TokensProfile.FORWARDER_TOKEN).get("/api/v1/captures")
                .then().statusCode(401);
        given().header("Authorization", "Bearer " + TokensProfile.API_TOKEN).get("/api/v1/captures")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + TokensProfile.API_TOKEN).get("/api/v1/captures/nope")
                .then().statusCode(404);
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
