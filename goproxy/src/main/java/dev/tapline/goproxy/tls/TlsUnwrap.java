package dev.tapline.goproxy.tls;

import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Vertx;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * TLS_IN_UNWRAP for the whole relay: the certificate clients see (reloaded when it changes), the contexts the app is
 * dialled with, the handshake timeout and the counters. Each connection gets its own {@link UnwrapSession}.
 */
public final class TlsUnwrap {
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
        LogFields fields = LogFields.of("provider", provider == SslProvider.OPENSSL ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK",
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

    /** The session of one new client connection; {@link UnwrapSession#start()} installs it. */
    public UnwrapSession open(NetSocketInternal client, String clientAddr, long cid, UnwrapSession.Outcome outcome) {
        return new UnwrapSession(this, client, clientAddr, cid, outcome);
    }

    long handshakeTimeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(settings.handshakeTimeout().toNanos());
    }
}
