package dev.tapline.goproxy.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * The server context that answers a client whose far side failed its handshake (an upstream certificate that does
 * not verify, an app that refused goproxy): it has no certificate at all, so the JDK's TLS server ends the client's
 * handshake with a fatal {@code handshake_failure} alert. The client's TLS stack then reports a handshake failure
 * instead of a connection reset, and nothing is impersonated. Built the first time it is needed, never at start-up.
 */
final class Refusal {
    private Refusal() {
    }

    static SslContext context() throws SSLException {
        return Holder.CONTEXT;
    }

    /** Lazily initialised by the JVM on first use (class initialisation is thread-safe). */
    private static final class Holder {
        static final SslContext CONTEXT = build();

        private static SslContext build() {
            try {
                KeyStore empty = KeyStore.getInstance("PKCS12");
                empty.load(null, null);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(empty, new char[0]);
                return SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK).build();
            } catch (GeneralSecurityException | java.io.IOException e) {
                throw new IllegalStateException("cannot build the refusing TLS context", e);
            }
        }
    }
}
