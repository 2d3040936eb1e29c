package dev.tapline.goproxy.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import dev.tapline.goproxy.support.TestCerts;

/**
 * A TLS app (the JDK's TLS server on 127.0.0.1, a free port) that completes each handshake and then closes the
 * connection without reading or answering anything: what an app does whose handshake timer ran out just as its
 * handshake ended, or that refuses the client after the handshake.
 */
final class ClosingTlsApp implements AutoCloseable {
    private final SSLServerSocket server;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final Thread acceptor;

    ClosingTlsApp(TestCerts.Leaf leaf) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("app", leaf.key, new char[0], new Certificate[] {leaf.cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ssl.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "closing-tls-app");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Handshakes completed so far. */
    int handshakes() {
        return handshakes.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                handshakes.incrementAndGet();
            } catch (IOException e) {
                // a failed handshake or the server closing: next one
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(5_000);
    }
}
