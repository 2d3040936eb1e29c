package dev.tapline.goproxy.tls;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLException;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Vertx;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * TLS_IN_UNWRAP for the whole relay: the certificate clients see (reloaded when it changes), the contexts the app is
 * dialled with, the handshake timeout and the counters. Each connection gets its own {@link UnwrapSession}.
 */
public final class TlsUnwrap implements TlsTermination, UnwrapEnds {
    private static final Logger LOG = Logger.getLogger(TlsUnwrap.class);
    /** How often the certificate files are looked at for a renewal. */
    static final long RELOAD_CHECK_MILLIS = 2_000;

    final TlsSettings settings;
    final ServerCertificate certificate;
    final AppContexts app;
    final TlsStats stats;
    final SslProvider provider;
    private long reloadTimer = -1;
    private Vertx vertx;

    private TlsUnwrap(TlsSettings settings, ServerCertificate certificate, AppContexts app, TlsStats stats,
            SslProvider provider) {
        this.settings = settings;
        this.certificate = certificate;
        this.app = app;
        this.stats = stats;
        this.provider = provider;
    }

    /** Loads and checks the files; fails with the variable to blame. */
    public static TlsUnwrap create(TlsSettings settings, TlsStats stats) throws TlsFileProblem, SSLException {
        SslProvider provider = TlsProvider.choose();
        ServerCertificate certificate = new ServerCertificate(settings, provider, stats);
        List<java.security.cert.X509Certificate> trusted = settings.appCaFile() == null ? null
                : PemFiles.certificates(TlsSettings.APP_CA_VARIABLE, settings.appCaFile());
        TlsUnwrap unwrap = new TlsUnwrap(settings, certificate, new AppContexts(provider, trusted), stats, provider);
        LogFields fields = LogFields.of("provider", TlsProvider.describe(provider),
                "appTls", settings.appTls(), "appVerified", trusted != null);
        if (provider == SslProvider.JDK) {
            fields = fields.and("openSslUnavailable", TlsProvider.whyNotOpenSsl());
        }
        LOG.infof("TLS unwrap on", fields);
        return unwrap;
    }

    /** Starts looking for renewed certificate files every {@link #RELOAD_CHECK_MILLIS}, off the event loops. */
    public void startReloading(Vertx vertx) {
        this.vertx = vertx;
        reloadTimer = vertx.setPeriodic(RELOAD_CHECK_MILLIS, id -> vertx.executeBlocking(() -> {
            certificate.checkForChange();
            return null;
        }, true));
    }

    public void stopReloading() {
        if (vertx != null && reloadTimer >= 0) {
            vertx.cancelTimer(reloadTimer);
        }
    }

    @Override
    public UnwrapSession open(NetSocketInternal client, String clientAddr, long cid, UnwrapSession.Outcome outcome) {
        return new UnwrapSession(this, client, clientAddr, cid, outcome);
    }

    /** REVERSE_PROXY_TLS=false: plaintext to the app. */
    @Override
    public SslContext farContext(List<String> offer) throws SSLException {
        return settings.appTls() ? app.forOffer(offer) : null;
    }

    /**
     * The client's SNI; without one the app's host with REVERSE_PROXY_CA (it is what is checked then), else the app's
     * IP address: an IP literal is never sent as SNI, so the app still sees no server name, as the client sent none,
     * and the session cache has a key (sessions are goproxy's own towards its app, whatever the client).
     */
    @Override
    public String farPeer(ClientHello hello, String host, String farIp) {
        return hello.sni() != null ? hello.sni() : settings.appCaFile() != null ? host : farIp;
    }

    /** The client's SNI, passed on as it came (dotless names too); none when the client sent none. */
    @Override
    public String farSni(ClientHello hello, String host) {
        return hello.sni();
    }

    @Override
    public CompletableFuture<ServerContexts> clientContexts(ClientHello hello, String host) {
        return CompletableFuture.completedFuture(certificate.current());
    }

    @Override
    public Duration handshakeTimeout() {
        return settings.handshakeTimeout();
    }

    @Override
    public TlsStats stats() {
        return stats;
    }

    @Override
    public boolean outbound() {
        return false;
    }
}
