package dev.tapline.goproxy.tls;

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
 * decided per connection before the client's handshake starts (the app's choice, see {@link UnwrapSession}), so
 * the client can only end up with a protocol the app accepted.
 */
final class ServerContexts {
    private final SslContext none;
    private final SslContext http1;
    private final SslContext h2;

    ServerContexts(PemFiles.CertifiedKey material, SslProvider provider) throws SSLException {
        none = build(material, provider, null);
        http1 = build(material, provider, ApplicationProtocolNames.HTTP_1_1);
        h2 = build(material, provider, ApplicationProtocolNames.HTTP_2);
    }

    /** The context that answers ALPN with {@code alpn} (null: no ALPN answer). */
    SslContext forAlpn(String alpn) {
        if (ApplicationProtocolNames.HTTP_2.equals(alpn)) {
            return h2;
        }
        return ApplicationProtocolNames.HTTP_1_1.equals(alpn) ? http1 : none;
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
