package dev.tapline.forwarder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.capture.v1.RegisterResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class RegistrationTest {

    @GrpcClient("forwarder")
    ForwarderGrpc.ForwarderBlockingStub forwarder;

    @Test
    void aRegisteredProxyIsToldTheIntervalsAndIsKnownAtCheckIn() {
        assertThat(forwarder.heartbeat(HeartbeatRequest.newBuilder().setProxyId("pod-a").build()).getKnown()).isFalse();

        RegisterResponse answer = forwarder.register(RegisterRequest.newBuilder()
                .setProxy(ProxyIdentity.newBuilder().setProxyId("pod-a").setAppLabel("shop").setProxyType("reverse")).build());

        assertThat(answer.getClusterName()).isEqualTo("test-cluster");
        assertThat(answer.getReapAfterMs()).isEqualTo(45_000);
        assertThat(answer.getHeartbeatIntervalMs()).isPositive().isLessThan(answer.getReapAfterMs());
        assertThat(forwarder.heartbeat(HeartbeatRequest.newBuilder().setProxyId("pod-a").build()).getKnown()).isTrue();
    }

    @Test
    void anIdentityThatCannotKeyTheRegistryIsRefused() {
        for (String badId : new String[] { "", "two words", "x".repeat(129) }) {
            assertThatThrownBy(() -> forwarder.register(RegisterRequest.newBuilder()
                    .setProxy(ProxyIdentity.newBuilder().setProxyId(badId)).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).startsWith("proxy.proxy_id");
                    });
        }
        assertThatThrownBy(() -> forwarder.register(RegisterRequest.newBuilder()
                .setProxy(ProxyIdentity.newBuilder().setProxyId("pod-b").setAppLabel("a".repeat(257))).build()))
                .hasMessageContaining("at most 256 characters");
    }

    @Test
    void healthIsUp() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
