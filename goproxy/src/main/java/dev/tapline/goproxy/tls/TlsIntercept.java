package dev.tapline.goproxy.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * TLS_OUT_UNWRAP for the forward proxy: inside a CONNECT or SOCKS tunnel where the app speaks TLS, goproxy
 * answers as the host the app asked for and talks TLS to the real host itself.
 *
 * <pre>
 *   app ─ClientHello(SNI, ALPN)─▶ goproxy ─ClientHello(same SNI, the app's ALPN list)─▶ real host
 *                                  goproxy ◀─certificate, verified: chain (system + TLS_OUT_CA), host name─ host
 *   app ◀─leaf for the SNI (or the tunnel's host), signed by TLS_CERT_DIR's CA, ALPN = the host's choice─ goproxy
 *   then plaintext between the two SslHandlers: decoded as HTTP/1 or HTTP/2, captured as outbound (any other
 *   protocol the host chose, grpc-exp or a custom id, is relayed and recorded as raw TCP)
 * </pre>
 *
 * An upstream certificate that does not verify fails the app's handshake (the tunnel is closed) with a WARN line
 * naming the upstream and the reason; it is never accepted. Made only when TLS_OUT_UNWRAP=true.
 */
public final class TlsIntercept implements TlsTermination, UnwrapEnds {
    private static final Logger LOG = Logger.getLogger(TlsIntercept.class);

    private final TlsOutSettings settings;
    private final CertificateAuthority ca;
    private final AppContexts upstream;
    private final LeafCache leaves;
    private final TlsStats stats;

    private TlsIntercept(TlsOutSettings settings, CertificateAuthority ca, AppContexts upstream, LeafCache leaves,
            TlsStats stats) {
        this.settings = settings;
        this.ca = ca;
        this.upstream = upstream;
        this.leaves = leaves;
        this.stats = stats;
    }

    /** Loads (or creates) the CA and reads the other files; fails with the variable to blame. */
    public static TlsIntercept create(TlsOutSettings settings, TlsStats stats) throws TlsFileProblem, SSLException {
        SslProvider provider = TlsProvider.choose();
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(settings.certDir());
        if (ca.created()) {
            LOG.infof("Created a CA for TLS_OUT_UNWRAP: add its certificate to the app's trust store",
                    LogFields.of("file", ca.certFile().toString(), "sha256", ca.fingerprint()));
        }
        List<X509Certificate> trusted = systemAnchors();
        if (settings.outCaFile() != null) {
            trusted.addAll(PemFiles.certificates(TlsOutSettings.OUT_CA_VARIABLE, settings.outCaFile()));
        }
        PemFiles.CertifiedKey mutual = settings.mutualCertFile() == null ? null
                : PemFiles.load(TlsOutSettings.MUTUAL_CERT_VARIABLE, settings.mutualCertFile(),
                        TlsOutSettings.MUTUAL_KEY_VARIABLE, settings.mutualKeyFile());
        LeafMinter minter;
        try {
            minter = new LeafMinter(ca);
        } catch (GeneralSecurityException e) {
            throw new SSLException("cannot make the leaf certificates' key", e);
        }
        TlsStats out = stats.outbound();
        TlsIntercept intercept = new TlsIntercept(settings, ca, new AppContexts(provider, trusted, mutual),
                new LeafCache(minter, provider, out), out);
        LOG.infof("TLS out unwrap on", LogFields.of("provider", TlsProvider.describe(provider), "caFile", ca.certFile().toString(),
                "sha256", ca.fingerprint(), "outCa", settings.outCaFile() != null, "mutual", mutual != null));
        return intercept;
    }

    /** The JDK's default trust anchors (the system's CA bundle in a Debian image). */
    private static List<X509Certificate> systemAnchors() throws SSLException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            List<X509Certificate> anchors = new ArrayList<>();
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    anchors.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
            return anchors;
        } catch (GeneralSecurityException e) {
            throw new SSLException("cannot read the system trust store", e);
        }
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** Host names with a minted leaf. */
    public int cachedLeaves() {
        return leaves.size();
    }

    /** Stops the minting thread. */
    public void close() {
        leaves.close();
    }

    @Override
    public UnwrapSession open(NetSocketInternal client, String clientAddr, long cid, UnwrapSession.Outcome outcome) {
        return new UnwrapSession(this, client, clientAddr, cid, outcome);
    }

    @Override
    public SslContext farContext(List<String> offer) throws SSLException {
        return upstream.forOffer(offer);
    }

    /** Always a name to verify: the app's SNI, else the host of the tunnel (an IP is checked as an IP SAN). */
    @Override
    public String farPeer(ClientHello hello, String host, String farIp) {
        return hello.sni() != null ? hello.sni() : host;
    }

    /**
     * The app's SNI, else the tunnel's host unless it is an IP literal (SNI carries names only). Set explicitly:
     * the TLS stacks add it on their own only for names with a dot, so {@code localhost} or a cluster-internal
     * short name would reach a host that picks its certificate by SNI without one.
     */
    @Override
    public String farSni(ClientHello hello, String host) {
        if (hello.sni() != null) {
            return hello.sni();
        }
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host) ? null : host;
    }

    @Override
    public CompletableFuture<ServerContexts> clientContexts(ClientHello hello, String host) {
        return leaves.contextsFor(hello.sni() != null ? hello.sni() : host);
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
        return true;
    }
}
