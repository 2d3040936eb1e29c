package dev.tapline.goproxy.support;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * A real HTTPS (or plain HTTP) app on 127.0.0.1 and a free port, Vert.x's HTTP server: h2 and http/1.1 by ALPN.
 * Every answer tells what the app saw: {@code x-backend-sni}, {@code x-backend-version}, {@code x-backend-tls}.
 * {@code POST /echo} answers the request body; {@code GET /big?n=N} answers N bytes of {@link #bigBody}; anything
 * else {@link #BODY}.
 */
public final class TlsHttpBackend implements AutoCloseable {
    public static final String BODY = "tls-backend\n";
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    /** @param cert PEM chain, or null for plain HTTP; {@code h2} whether ALPN may pick h2 */
    public TlsHttpBackend(Path cert, Path key, boolean h2) throws Exception {
        this(cert, key, h2, null, null);
    }

    /** @param clientCa non-null: a client certificate from this CA is required (mutual TLS), its CN answered */
    public TlsHttpBackend(Path cert, Path key, boolean h2, Path clientCa) throws Exception {
        this(cert, key, h2, clientCa, null);
    }

    /**
     * @param handshakeTimeout how long the app waits, from accepting a connection, for its TLS handshake to finish
     *                         (null: Vert.x's default, 10 s); servers close connections that stay silent longer
     */
    public TlsHttpBackend(Path cert, Path key, boolean h2, Duration handshakeTimeout) throws Exception {
        this(cert, key, h2, null, handshakeTimeout);
    }

    private TlsHttpBackend(Path cert, Path key, boolean h2, Path clientCa, Duration handshakeTimeout) throws Exception {
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
        if (handshakeTimeout != null) {
            options.setSslHandshakeTimeout(handshakeTimeout.toMillis()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        if (cert != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.toString())
                    .setKeyPath(key.toString())).setUseAlpn(true)
                    .setAlpnVersions(h2 ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1) : List.of(HttpVersion.HTTP_1_1));
        }
        if (clientCa != null) {
            options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(clientCa.toString()));
        }
        server = vertx.createHttpServer(options).requestHandler(this::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest req) {
        var res = req.response();
        res.putHeader("x-backend-sni", sni(req));
        res.putHeader("x-backend-version", req.version().name());
        res.putHeader("x-backend-tls", String.valueOf(req.isSSL()));
        res.putHeader("x-backend-client", client(req));
        if (req.path().equals("/echo")) {
            req.body().onSuccess(body -> res.end(body));
        } else if (req.path().equals("/big")) {
            res.end(Buffer.buffer(bigBody(Integer.parseInt(req.getParam("n")))));
        } else {
            res.putHeader("content-type", "text/plain").end(BODY);
        }
    }

    /** The server name the TLS client asked for (read from the session: Vert.x's SNI mode is not needed). */
    private static String sni(HttpServerRequest req) {
        if (req.connection().sslSession() instanceof ExtendedSSLSession s) {
            return s.getRequestedServerNames().stream().filter(n -> n instanceof SNIHostName)
                    .map(n -> ((SNIHostName) n).getAsciiName()).findFirst().orElse("none");
        }
        return "none";
    }

    /** The subject of the client's certificate (mutual TLS), or "none". */
    private static String client(HttpServerRequest req) {
        try {
            SSLSession s = req.connection().sslSession();
            return s == null ? "none" : ((X509Certificate) s.getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return "none";
        }
    }

    /** Deterministic bytes that are not all alike. */
    public static byte[] bigBody(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + (i * 31 + i / 7) % 26);
        }
        return b;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
