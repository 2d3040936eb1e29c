package dev.tapline.goproxy.tls;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * The client-side contexts goproxy dials the far side with (the app, or the host the app called), one per ALPN
 * offer: the client's own list, whatever protocols it names (h2 and http/1.1 are decoded, anything else is relayed
 * and recorded as raw TCP). The usual lists are built at start; another list is built the first time a client
 * offers it and kept, up to {@link #MAX_KEPT} lists. Past that, a new list is narrowed to h2 and http/1.1 (the
 * lists built at start) rather than built per connection: clients choose the lists, and building a context costs
 * milliseconds of the event loop. Without
 * REVERSE_PROXY_CA the app's certificate is not checked: the app is goproxy's own, reached by an internal name its
 * certificate seldom carries. With it (or TLS_OUT_UNWRAP's anchors), the chain must lead to that bundle and the
 * certificate must name the host (the client's SNI, else REVERSE_PROXY_HOST or the tunnel's host).
 */
final class AppContexts {
    static final List<String> RELAYED = List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    /** Offer lists kept: the clients choose them, so the memory they take is bounded. */
    static final int MAX_KEPT = 64;

    private final SslProvider provider;
    private final List<java.security.cert.X509Certificate> trusted;
    private final PemFiles.CertifiedKey clientKey;
    private final Map<List<String>, SslContext> byOffer = new ConcurrentHashMap<>();

    /** @param trusted REVERSE_PROXY_CA's certificates, or null to trust any app certificate */
    AppContexts(SslProvider provider, List<java.security.cert.X509Certificate> trusted) throws SSLException {
        this(provider, trusted, null);
    }

    /**
     * @param trusted the anchors the far side's chain must lead to, or null to trust any certificate
     * @param clientKey the certificate presented when the far side asks for one (TLS_MUTUAL_*), or null: none
     */
    AppContexts(SslProvider provider, List<java.security.cert.X509Certificate> trusted,
            PemFiles.CertifiedKey clientKey) throws SSLException {
        this.provider = provider;
        this.trusted = trusted;
        this.clientKey = clientKey;
        for (List<String> offer : List.of(List.<String>of(), RELAYED, List.of(RELAYED.get(1), RELAYED.get(0)),
                List.of(RELAYED.get(0)), List.of(RELAYED.get(1)))) {
            byOffer.put(offer, build(offer));
        }
    }

    /**
     * What to offer the far side for a client that offered {@code clientOffer}: the same protocols, in its order.
     * An id the ClientHello parser could only show with '?' (a byte outside printable ASCII) is left out: it is not
     * the id the client sent.
     */
    static List<String> offerFor(List<String> clientOffer) {
        return clientOffer.stream().filter(p -> p.indexOf('?') < 0).distinct().toList();
    }

    /**
     * The context for this offer: kept from an earlier connection, else built now (on the caller's thread) and kept;
     * once {@link #MAX_KEPT} lists are kept, the one for the offer narrowed to h2 and http/1.1.
     */
    SslContext forOffer(List<String> offer) throws SSLException {
        SslContext kept = byOffer.get(offer);
        if (kept != null) {
            return kept;
        }
        if (byOffer.size() >= MAX_KEPT) {
            return byOffer.get(offer.stream().filter(RELAYED::contains).toList());
        }
        SslContext built = build(offer);
        SslContext raced = byOffer.putIfAbsent(offer, built);
        return raced != null ? raced : built;
    }

    private SslContext build(List<String> offer) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider);
        if (trusted == null) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            b.trustManager(trusted).endpointIdentificationAlgorithm("HTTPS");
        }
        if (clientKey != null) {
            b.keyManager(clientKey.key(), clientKey.chain());
        }
        if (!offer.isEmpty()) {
            b.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, offer));
        }
        return b.build();
    }
}
