package dev.tapline.goproxy;

import java.nio.file.Path;
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
import dev.tapline.goproxy.tls.TlsSettings;
import dev.tapline.goproxy.tls.TlsStats;
import dev.tapline.goproxy.tls.TlsUnwrap;
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
    @Inject
    TlsStats tlsStats;

    private RelayServer relay;
    private TlsUnwrap unwrap;

    void onStart(@Observes @Priority(10) StartupEvent event, Vertx vertx) throws Exception {
        LOG.infof("START Tapline Network Proxy", LogFields.of("version", build.version(), "buildTime", build.buildTime()));
        LOG.infof("Starting proxy listener", LogFields.of("network", "tcp", "addr", ":" + config.inPort()));
        TapFactory taps = capture.taps();
        unwrap = tlsUnwrap();
        if (unwrap != null) {
            unwrap.startReloading(vertx);
        }
        relay = new RelayServer(vertx, settings, taps, stats, unwrap);
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
        if (unwrap != null) {
            unwrap.stopReloading();
        }
        capture.stop(config.capture().flushTimeout());
        LOG.info("Stopped");
    }

    /** TLS_IN_UNWRAP, or null when off. The files were checked before start (GoproxyEnv); read again here. */
    private TlsUnwrap tlsUnwrap() throws Exception {
        GoproxyConfig.Tls tls = config.tls();
        if (!tls.inUnwrap()) {
            return null;
        }
        TlsSettings s = new TlsSettings(Path.of(tls.inPublicKey().orElseThrow()), Path.of(tls.inPrivateKey().orElseThrow()),
                tls.reverseProxyTls(), tls.reverseProxyCa().filter(v -> !v.isBlank()).map(Path::of).orElse(null),
                tls.handshakeTimeout());
        return TlsUnwrap.create(s, tlsStats);
    }

    public RelayServer relay() {
        return relay;
    }
}
