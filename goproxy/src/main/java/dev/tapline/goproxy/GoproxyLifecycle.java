package dev.tapline.goproxy;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tapline.common.config.BuildInfo;
import dev.tapline.common.config.ExitZeroOnTerm;
import dev.tapline.common.config.GoDuration;
import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.config.GoproxyConfig;
import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.relay.TapFactory;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Starts goproxy in the manual's order (start line, proxy listener, forwarder link) and stops it gracefully:
 * stop accepting, let open connections finish up to DRAIN_TIMEOUT, flush queued captures up to FLUSH_TIMEOUT.
 */
@Singleton
public class GoproxyLifecycle {
    private static final Logger LOG = Logger.getLogger("dev.tapline.goproxy");

    @Inject
    GoproxyConfig config;
    @Inject
    BuildInfo build;
    @Inject
    RelaySettings settings;
    @Inject
    RelayStats stats;
    @Inject
    CaptureRuntime capture;

    private RelayServer relay;

    void onStart(@Observes @Priority(10) StartupEvent event, Vertx vertx) throws Exception {
        LOG.infof("START Tapline Network Proxy", LogFields.of("version", build.version(), "buildTime", build.buildTime()));
        LOG.infof("Starting proxy listener", LogFields.of("network", "tcp", "addr", ":" + config.inPort()));
        TapFactory taps = capture.taps();
        relay = new RelayServer(vertx, settings, taps, stats);
        relay.start(Duration.ofSeconds(30));
        capture.start();
        ExitZeroOnTerm.install();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (relay == null) {
            return;
        }
        LOG.infof("Shutting down: draining connections", LogFields.of("open", relay.openConnections(),
                "drainTimeout", GoDuration.format(config.drainTimeout())));
        relay.drain(config.drainTimeout());
        capture.stop(config.capture().flushTimeout());
        LOG.info("Stopped");
    }

    public RelayServer relay() {
        return relay;
    }
}
