package dev.tapline.goproxy.tls;

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

/**
 * The server-side contexts for one certificate: one per ALPN answer the relay may give a client. The answer is
 * decided per connection before the client's handshake starts (the far side's choice, see {@link UnwrapSession}),
 * so the client can only end up with a protocol the far side accepted. No answer, http/1.1 and h2 are built with
 * the certificate; any other protocol the far side chose (grpc-exp, a custom id) the first time it is chosen, then
 * kept, up to {@link #MAX_OTHERS} of them. Past that the client gets no ALPN answer for a new one rather than a
 * context built per connection (milliseconds of the event loop, at the clients' choice).
 */
final class ServerContexts {
    static final int MAX_OTHERS = 16;

    private final PemFiles.CertifiedKey material;
    private final SslProvider provider;
    private final SslContext none;
    private final SslContext http1;
    private final SslContext h2;
    private final Map<String, SslContext> others = new ConcurrentHashMap<>();

    ServerContexts(PemFiles.CertifiedKey material, SslProvider provider) throws SSLException {
        this.material = material;
        this.provider = provider;
        none = build(material, provider, null);
        http1 = build(material, provider, ApplicationProtocolNames.HTTP_1_1);
        h2 = build(material, provider, ApplicationProtocolNames.HTTP_2);
    }

    /** The context that answers ALPN with {@code alpn} (null: no ALPN answer). */
    SslContext forAlpn(String alpn) throws SSLException {
        if (alpn == null) {
            return none;
        }
        if (ApplicationProtocolNames.HTTP_2.equals(alpn)) {
            return h2;
        }
        if (ApplicationProtocolNames.HTTP_1_1.equals(alpn)) {
            return http1;
        }
        SslContext kept = others.get(alpn);
        if (kept != null) {
            return kept;
        }
        if (others.size() >= MAX_OTHERS) {
            return none;
        }
        SslContext built = build(material, provider, alpn);
        SslContext raced = others.putIfAbsent(alpn, built);
        return raced != null ? raced : built;
    }

    private static SslContext build(PemFiles.CertifiedKey material, SslProvider provider, String alpn)
            throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(material.key(), material.chain()).sslProvider(provider);
        if (alpn != null) {
            // NO_ADVERTISE: a client that did not offer it gets no ALPN answer rather than an alert
            b.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, alpn));
        }
        return b.build();
    }
}
