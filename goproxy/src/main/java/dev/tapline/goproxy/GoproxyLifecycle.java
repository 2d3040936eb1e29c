package dev.tapline.goproxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.tapline.common.config.BuildInfo;
import dev.tapline.common.config.ExitZeroOnTerm;
import dev.tapline.common.config.GoDuration;
import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.config.GoproxyConfig;
import dev.tapline.goproxy.proxy.ForwardAcceptor;
import dev.tapline.goproxy.proxy.LoopGuard;
import dev.tapline.goproxy.proxy.ProxyMode;
import dev.tapline.goproxy.proxy.ProxyStats;
import dev.tapline.goproxy.relay.Acceptor;
import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.relay.TapFactory;
import dev.tapline.goproxy.tls.TlsIntercept;
import dev.tapline.goproxy.tls.TlsOutSettings;
import dev.tapline.goproxy.tls.TlsSettings;
import dev.tapline.goproxy.tls.TlsStats;
import dev.tapline.goproxy.tls.TlsUnwrap;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.netty.util.NetUtil;
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
    ProxyMode mode;
    @Inject
    ProxyStats proxyStats;
    @Inject
    TlsStats tlsStats;

    private final LoopGuard loops = new LoopGuard();
    private RelayServer relay;
    private RelayServer forward;
    private TlsUnwrap unwrap;
    private TlsIntercept intercept;

    void onStart(@Observes @Priority(10) StartupEvent event, Vertx vertx) throws Exception {
        LOG.infof("START Tapline Network Proxy", LogFields.of("version", build.version(), "buildTime", build.buildTime()));
        TapFactory taps = capture.taps();
        AtomicLong cids = new AtomicLong();
        ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).ifPresent(loops::addOwnPort);
        if (mode.reverse()) {
            LOG.infof("Starting proxy listener", LogFields.of("network", "tcp", "addr", ":" + config.inPort()));
            unwrap = tlsUnwrap();
            if (unwrap != null) {
                unwrap.startReloading(vertx);
            }
            relay = new RelayServer(vertx, settings, Acceptor.reverse(settings.appHost(), settings.appPort()), taps,
                    stats, cids, unwrap);
            relay.start(Duration.ofSeconds(30));
            loops.addOwnPort(relay.port());
        }
        if (mode.forwards()) {
            startForward(vertx, taps, cids);
        }
        capture.start();
        ExitZeroOnTerm.install();
    }

    private void startForward(Vertx vertx, TapFactory taps, AtomicLong cids) throws Exception {
        String addr = config.outBind() + ":" + config.outPort();
        LOG.infof("Starting forward proxy listener", LogFields.of("network", "tcp", "addr", addr,
                "protocol", mode.forward().tag()));
        if (!NetUtil.createInetAddressFromIpAddressString(config.outBind()).isLoopbackAddress()) {
            LOG.warnf("The forward proxy listens beyond loopback: anyone who reaches this address can use it",
                    LogFields.of("addr", addr));
        }
        RelaySettings out = new RelaySettings(config.outBind(), config.outPort(), null, 0, settings.idleTimeout(),
                settings.connectTimeout(), settings.eventLoops());
        intercept = tlsIntercept();
        forward = new RelayServer(vertx, out, new ForwardAcceptor(mode.forward(), loops, proxyStats), taps, stats, cids,
                null, intercept);
        forward.start(Duration.ofSeconds(30));
        loops.addOwnPort(forward.port());
        loops.addOwnPort(config.outPort());
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (relay == null && forward == null) {
            return;
        }
        int open = (relay == null ? 0 : relay.openConnections()) + (forward == null ? 0 : forward.openConnections());
        LOG.infof("Shutting down: draining connections", LogFields.of("open", open,
                "drainTimeout", GoDuration.format(config.drainTimeout())));
        long started = System.nanoTime();
        if (relay != null) {
            relay.drain(config.drainTimeout());
        }
        if (forward != null) {
            forward.drain(config.drainTimeout().minusNanos(System.nanoTime() - started));
        }
        if (unwrap != null) {
            unwrap.stopReloading();
        }
        if (intercept != null) {
            intercept.close();
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

    /**
     * TLS_OUT_UNWRAP, or null when off (then nothing of it is loaded: no CA, no trust store, no BouncyCastle). The
     * files were checked before start (GoproxyEnv); the CA is created here when absent.
     */
    private TlsIntercept tlsIntercept() throws Exception {
        GoproxyConfig.Tls tls = config.tls();
        if (!tls.outUnwrap()) {
            return null;
        }
        TlsOutSettings s = new TlsOutSettings(Path.of(tls.certDir()), path(tls.outCa()), path(tls.mutualPublicKey()),
                path(tls.mutualPrivateKey()), tls.handshakeTimeout());
        return TlsIntercept.create(s, tlsStats);
    }

    private static Path path(java.util.Optional<String> setting) {
        return setting.filter(v -> !v.isBlank()).map(Path::of).orElse(null);
    }

    /** The reverse proxy's listener, or null in forward mode. */
    public RelayServer relay() {
        return relay;
    }

    /** The forward proxy's listener, or null in reverse mode. */
    public RelayServer forward() {
        return forward;
    }
}
