package dev.tapline.goproxy.health;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.tapline.goproxy.GoproxyLifecycle;

/** Ready = the relay (reverse, forward or both) is listening and accepting. */
@Readiness
@Singleton
public class RelayReadiness implements HealthCheck {
    @Inject
    GoproxyLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        var relay = lifecycle.relay();
        var forward = lifecycle.forward();
        boolean up = (relay != null || forward != null) && (relay == null || relay.listening())
                && (forward == null || forward.listening());
        var response = HealthCheckResponse.named("relay").status(up);
        if (relay != null) {
            response.withData("port", relay.port()).withData("openConnections", relay.openConnections());
        }
        if (forward != null) {
            response.withData("forwardPort", forward.port()).withData("forwardOpenConnections", forward.openConnections());
        }
        return response.build();
    }
}
