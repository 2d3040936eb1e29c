package dev.tapline.goproxy.tls;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * TLS_IN_UNWRAP on one client connection, from its first byte to the two finished handshakes.
 *
 * <pre>
 *   client ─ClientHello─▶ TlsFront ──helloArrived──▶ relay dials / has dialled the app
 *   bridge(app): app ◀─TLS handshake (client's SNI, client's ALPN offer)─ goproxy        (REVERSE_PROXY_TLS)
 *                client ◀─TLS handshake (our certificate, ALPN = what the app chose)─ goproxy
 *   ──ready(TlsSession)──▶ relay wires its pipes; they see plaintext, SslHandlers do the crypto on both sides
 * </pre>
 *
 * The app is asked first so that the client can only get a protocol the app accepted. Everything runs on the
 * connection's event loop; one timer (TLS_HANDSHAKE_TIMEOUT) covers from the first TLS byte to the end.
 */
public final class UnwrapSession implements TlsFront.Listener {
    private static final Logger LOG = Logger.getLogger(UnwrapSession.class);
    private static final String SSL_HANDLER = "tapline-tls";

    /** What the relay does at each step. */
    public interface Outcome {
        /** Not TLS: relay as without TLS_IN_UNWRAP (the bytes held so far follow). */
        void plain();

        /** A ClientHello: call {@link #bridge} once the app connection is up. */
        void helloArrived();

        /** Both handshakes finished: wire the relay; from now on it reads and writes plaintext. */
        void ready(TlsSession session);

        /** The handshake failed or timed out (already logged and counted): close the connection. */
        void failed();
    }

    private final TlsUnwrap tls;
    private final NetSocketInternal client;
    private final String clientAddr;
    private final long cid;
    private final Outcome outcome;
    private TlsFront front;
    private ClientHello hello;
    private ScheduledFuture<?> timer;
    /** The client's first byte said TLS: from now on a connection that ends before both handshakes is a failure. */
    private boolean tlsStarted;
    private boolean finished;
    /** {@link #appClosedBeforeAnswering} was reported (once per connection). */
    private boolean closedUnanswered;

    UnwrapSession(TlsUnwrap tls, NetSocketInternal client, String clientAddr, long cid, Outcome outcome) {
        this.tls = tls;
        this.client = client;
        this.clientAddr = clientAddr;
        this.cid = cid;
        this.outcome = outcome;
    }

    /** Puts the front before Vert.x's handler and lets the client's first bytes in. */
    public void start() {
        front = new TlsFront(this);
        Channel channel = client.channelHandlerContext().channel();
        channel.pipeline().addBefore(client.channelHandlerContext().name(), TlsFront.NAME, front);
        channel.config().setAutoRead(true);
    }

    @Override
    public void tlsStarted() {
        tlsStarted = true;
        timer = client.channelHandlerContext().executor().schedule(this::timedOut, tls.handshakeTimeoutMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void plain() {
        front = null;
        cancelTimer();
        finished = true;
        outcome.plain();
    }

    @Override
    public void hello(ClientHello hello) {
        this.hello = hello;
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Detected protocol", LogFields.of("remoteAddr", clientAddr, "cid", cid, "protocol", "TLS",
                    "sni", String.valueOf(hello.sni()), "alpn", String.join(",", hello.alpn())));
        }
        outcome.helloArrived();
    }

    /** Before any client byte, the app sent something: a server-speaks-first protocol, not TLS. */
    public void appSpokeFirst() {
        if (front != null && hello == null) {
            front.plainBecauseAppSpoke();
        }
    }

    /**
     * Runs both handshakes: with the app first (unless REVERSE_PROXY_TLS=false), then with the client.
     *
     * @param app the connected app socket, not read yet
     * @param appHost REVERSE_PROXY_HOST, the name checked against the app's certificate when the client sent no SNI
     */
    public void bridge(NetSocketInternal app, String appHost, int appPort) {
        if (finished) {
            return;
        }
        List<String> offer = AppContexts.offerFor(hello.alpn());
        if (!tls.settings.appTls()) {
            // plaintext to the app: it cannot be asked, and h2 would reach it as prior-knowledge h2c, which an
            // HTTP/1 app does not speak; so HTTP/1.1 only
            terminateClient(offer.contains(ApplicationProtocolNames.HTTP_1_1) ? ApplicationProtocolNames.HTTP_1_1 : null);
            return;
        }
        SslContext context = tls.app.forOffer(offer);
        String peer = hello.sni() != null ? hello.sni() : tls.settings.appCaFile() != null ? appHost : null;
        Channel channel = app.channelHandlerContext().channel();
        SslHandler ssl = peer == null ? context.newHandler(channel.alloc()) : context.newHandler(channel.alloc(), peer, appPort);
        ssl.setHandshakeTimeoutMillis(0); // our timer covers both handshakes
        channel.config().setAutoRead(true); // before the handshake starts (SslHandler reads only if asked then)
        channel.pipeline().addBefore(app.channelHandlerContext().name(), SSL_HANDLER, ssl);
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                terminateClient(ssl.applicationProtocol());
            } else {
                fail(tls.stats.appFailed, "handshake with the app failed: " + reason(f));
            }
        });
    }

    private void terminateClient(String alpn) {
        if (finished) {
            return;
        }
        Channel channel = client.channelHandlerContext().channel();
        SslHandler ssl = tls.certificate.current().forAlpn(alpn).newHandler(channel.alloc());
        ssl.setHandshakeTimeoutMillis(0);
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                onClientHandshake(ssl);
            } else {
                fail(tls.stats.clientFailed, reason(f));
            }
        });
        TlsFront f = front;
        front = null;
        channel.config().setAutoRead(true);
        f.terminate(ssl);
    }

    private void onClientHandshake(SslHandler ssl) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimer();
        tls.stats.ok.increment();
        SSLSession s = ssl.engine().getSession();
        outcome.ready(new TlsSession(s.getProtocol(), s.getCipherSuite(), hello.sni(), ssl.applicationProtocol(),
                hello.alpn(), true));
    }

    private void timedOut() {
        fail(tls.stats.timedOut, "handshake not finished within TLS_HANDSHAKE_TIMEOUT (" + tls.settings.handshakeTimeout() + ")");
    }

    private void fail(LongAdder counter, String reason) {
        if (finished) {
            return;
        }
        report(counter, reason);
        outcome.failed();
    }

    private void report(LongAdder counter, String reason) {
        finished = true;
        cancelTimer();
        counter.increment();
        LOG.warnf("TLS handshake failed", LogFields.of("remoteAddr", clientAddr, "cid", cid, "reason", reason,
                "sni", sni()));
    }

    /**
     * One side went away (closed, reset, failed) and the relay is closing: a handshake under way at that moment is a
     * failed handshake, reported here. Without this, a close seen by the relay before the SslHandler's own failure
     * would end the connection with no line and no count.
     *
     * @param appSide whether the app's connection went away (else the client's)
     */
    public void sideGone(String reason, boolean appSide) {
        if (!finished && tlsStarted) {
            report(appSide ? tls.stats.appFailed : tls.stats.clientFailed, (appSide ? "the app" : "the client")
                    + " ended the connection during the handshake: " + reason);
        }
        close();
    }

    /**
     * After both handshakes, the app ended its connection without sending a byte while the client's bytes were
     * relayed to it. The client then gets an empty answer, so it is said why: the app's TLS handshake did not succeed
     * on its side (under TLS 1.3 goproxy's side is done before the app has read goproxy's Finished, so the app's own
     * handshake timeout or a post-handshake alert, such as a client certificate it requires, comes afterwards).
     */
    public void appClosedBeforeAnswering(String reason) {
        if (closedUnanswered) {
            return;
        }
        closedUnanswered = true;
        tls.stats.appFailed.increment();
        LOG.warnf("TLS handshake failed", LogFields.of("remoteAddr", clientAddr, "cid", cid, "reason",
                "the app ended the connection right after the handshake without answering (its handshake timeout or a"
                        + " TLS alert): " + reason, "sni", sni()));
    }

    private String sni() {
        return hello == null || hello.sni() == null ? "" : hello.sni();
    }

    /** The connection is closing: no more callbacks. */
    public void close() {
        finished = true;
        cancelTimer();
        Channel channel = client.channelHandlerContext().channel();
        if (front != null && channel.pipeline().context(front) != null) {
            channel.pipeline().remove(front); // releases what it held
        }
        front = null;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The TLS stack's own words (e.g. "Received fatal alert: unknown_ca"), without the wrapping exceptions. */
    private static String reason(Future<?> f) {
        return reason(f.cause());
    }

    /** As {@link #reason(Future)}, for an exception the relay saw on a socket. */
    public static String reason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException && c.getMessage() != null) {
                return c.getMessage();
            }
        }
        return t == null ? "unknown" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
