package dev.tapline.goproxy.health;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.tapline.goproxy.GoproxyLifecycle;

/** Ready = the relay is listening and accepting. */
@Readiness
@Singleton
public class RelayReadiness implements HealthCheck {
    @Inject
    GoproxyLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        var relay = lifecycle.relay();
        boolean up = relay != null && relay.listening();
        return HealthCheckResponse.named("relay").status(up)
                .withData("port", relay == null ? -1 : relay.port())
                .withData("openConnections", relay == null ? 0 : relay.openConnections())
                .build();
    }
}
