package dev.tapline.forwarder.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.ProxyCounters;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.forwarder.metrics.ForwarderMetrics;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.FakeClockProfile;
import dev.tapline.forwarder.testing.LogCapture;
import dev.tapline.forwarder.testing.MutableClock;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Register, check in, fall silent, get reaped, come back: with a clock that moves only when told to. */
@QuarkusTest
@TestProfile(FakeClockProfile.class)
class ReaperTest {

    @GrpcClient("forwarder")
    ForwarderGrpc.ForwarderBlockingStub forwarder;
    @Inject
    MutableClock clock;
    @Inject
    Reaper reaper;
    @Inject
    ForwarderMetrics metrics;

    private boolean checkIn(String proxy, long connections) {
        return forwarder.heartbeat(HeartbeatRequest.newBuilder().setProxyId(proxy)
                .setCounters(ProxyCounters.newBuilder().setConnectionsTotal(connections)).build()).getKnown();
    }

    @Test
    void aProxySilentForLongerThanReapAfterIsEvictedLoggedCountedAndToldToRegisterAgain() {
        String proxy = Captures.unique("pod");
        Instant registeredAt = clock.instant();
        forwarder.register(RegisterRequest.newBuilder().setProxy(ProxyIdentity.newBuilder().setProxyId(proxy)
                .setAppLabel("shop").setPodNamespace("prod").setProxyType("reverse").setVersion("v0.1.0")).build());
        clock.advance(Duration.ofSeconds(30));
        assertThat(checkIn(proxy, 5)).isTrue();

        given().get("/api/v1/proxies").then().statusCode(200)
                .body("find { it.proxyId == '" + proxy + "' }.registeredAt", equalTo(registeredAt.toString()))
                .body("find { it.proxyId == '" + proxy + "' }.lastCheckIn", equalTo(registeredAt.plusSeconds(30).toString()))
                .body("find { it.proxyId == '" + proxy + "' }.state", equalTo("live"))
                .body("find { it.proxyId == '" + proxy + "' }.podNamespace", equalTo("prod"));

        long reapedBefore = metrics.snapshot().reaped();
        try (LogCapture log = LogCapture.of(Reaper.class)) {
            clock.advance(Duration.ofSeconds(45));
            reaper.reapNow();
            assertThat(checkIn(proxy, 6)).as("45s after the last check-in is not yet longer than REAP_AFTER").isTrue();

            clock.advance(Duration.ofSeconds(46));
            reaper.reapNow();

            await().until(() -> log.lines().stream().anyMatch(l -> l.startsWith("INFO REAPED proxy ID " + proxy)));
        }
        assertThat(metrics.snapshot().reaped() - reapedBefore).isEqualTo(1);
        assertThat(checkIn(proxy, 7)).isFalse();
        given().get("/api/v1/proxies").then()
                .body("find { it.proxyId == '" + proxy + "' }.state", equalTo("reaped"));

        forwarder.register(RegisterRequest.newBuilder().setProxy(ProxyIdentity.newBuilder().setProxyId(proxy)).build());
        assertThat(checkIn(proxy, 8)).isTrue();
    }
}
