package dev.tapline.goproxy.health;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.tapline.goproxy.CaptureRuntime;
import dev.tapline.goproxy.config.GoproxyConfig;

/**
 * Reports the forwarder link in the readiness payload, always UP: traffic must keep flowing while the forwarder
 * is down, so the link's state is information, not a reason to take goproxy out of service.
 */
@Readiness
@Singleton
public class ForwarderLinkCheck implements HealthCheck {
    @Inject
    CaptureRuntime capture;
    @Inject
    GoproxyConfig config;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("forwarder-link").up()
                .withData("forwarder", capture.link().isUp() ? "connected" : "disconnected")
                .withData("addr", config.forwarderAddr())
                .withData("queuedCaptures", capture.queue().size())
                .withData("droppedCaptures", capture.stats().droppedTotal())
                .build();
    }
}
