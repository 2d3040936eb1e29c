package dev.tapline.goproxy.tls;

import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * TLS_IN_UNWRAP (or TLS_OUT_UNWRAP) on one client connection, from its first byte to the two finished handshakes.
 * What differs between the two comes from {@link UnwrapEnds}: the far side's context and name, the certificate
 * the client is shown.
 *
 * <pre>
 *   client ─ClientHello─▶ TlsFront ──helloArrived──▶ relay dials / has dialled the far side (the app, or the host
 *                                                    the app called through the forward proxy)
 *   bridge(app): app ◀─TLS handshake (client's SNI, client's ALPN offer)─ goproxy        (REVERSE_PROXY_TLS)
 *                client ◀─TLS handshake (our certificate, ALPN = what the app chose)─ goproxy
 *   ──ready(TlsSession)──▶ relay wires its pipes; they see plaintext, SslHandlers do the crypto on both sides
 * </pre>
 *
 * The far side is asked first so that the client can only get a protocol it accepted (and, outbound, so that a
 * host whose certificate does not verify is never impersonated). Everything runs on the connection's event loop
 * (a minted certificate is waited for off it); one timer (TLS_HANDSHAKE_TIMEOUT) covers from the first TLS byte to
 * the end.
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

    private final UnwrapEnds ends;
    private final NetSocketInternal client;
    private final String clientAddr;
    private final long cid;
    private final Outcome outcome;
    private TlsFront front;
    private ClientHello hello;
    /** The far side as asked, known from {@link #bridge} on. */
    private String farHost;
    private String farAddr;
    private ScheduledFuture<?> timer;
    /** The client's first byte said TLS: from now on a connection that ends before both handshakes is a failure. */
    private boolean tlsStarted;
    private boolean finished;
    /** {@link #appClosedBeforeAnswering} was reported (once per connection). */
    private boolean closedUnanswered;
    /**
     * Both handshakes finished but the connection is not counted yet: under TLS 1.3 the app may still refuse it (see
     * {@link #appClosedBeforeAnswering}), and a connection is counted once, as ok or as app_failed.
     */
    private boolean okPending;

    UnwrapSession(UnwrapEnds ends, NetSocketInternal client, String clientAddr, long cid, Outcome outcome) {
        this.ends = ends;
        this.client = client;
        this.clientAddr = clientAddr;
        this.cid = cid;
        this.outcome = outcome;
    }

    /**
     * Puts the front before Vert.x's handler and lets the client's first bytes in; {@code early}: bytes a forward
     * proxy's front end read past the CONNECT or SOCKS request, judged first (the session takes ownership).
     */
    public void start(List<Object> early) {
        front = new TlsFront(this);
        Channel channel = client.channelHandlerContext().channel();
        channel.pipeline().addBefore(client.channelHandlerContext().name(), TlsFront.NAME, front);
        early.forEach(channel.pipeline()::fireChannelRead);
        channel.config().setAutoRead(true);
    }

    @Override
    public void tlsStarted() {
        tlsStarted = true;
        timer = client.channelHandlerContext().executor().schedule(this::timedOut,
                ends.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
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
     * Runs both handshakes: with the far side first (unless it is plaintext), then with the client.
     *
     * @param app the connected far socket (the app, or the host the app called), not read yet
     * @param appHost the far host as configured or asked (REVERSE_PROXY_HOST, the CONNECT or SOCKS host): the name
     *                checked against its certificate and shown to the client when the client sent no SNI
     */
    public void bridge(NetSocketInternal app, String appHost, int appPort) {
        if (finished) {
            return;
        }
        farHost = appHost;
        farAddr = appHost.indexOf(':') >= 0 ? "[" + appHost + "]:" + appPort : appHost + ":" + appPort;
        List<String> offer = AppContexts.offerFor(hello.alpn());
        SslContext context;
        try {
            context = ends.farContext(offer);
        } catch (SSLException | RuntimeException e) {
            refuse(ends.stats().appFailed, "cannot offer " + offer + " to " + farSide() + ": " + reason(e));
            return;
        }
        if (context == null) {
            // plaintext to the app: it cannot be asked, and h2 would reach it as prior-knowledge h2c, which an
            // HTTP/1 app does not speak; so HTTP/1.1 only
            terminateClient(offer.contains(ApplicationProtocolNames.HTTP_1_1) ? ApplicationProtocolNames.HTTP_1_1 : null);
            return;
        }
        String peer = ends.farPeer(hello, appHost, app.remoteAddress().hostAddress());
        Channel channel = app.channelHandlerContext().channel();
        SslHandler ssl = context.newHandler(channel.alloc(), peer, appPort);
        ServerNames.set(ssl.engine(), ends.farSni(hello, appHost));
        ssl.setHandshakeTimeoutMillis(0); // our timer covers both handshakes
        channel.config().setAutoRead(true); // before the handshake starts (SslHandler reads only if asked then)
        channel.pipeline().addBefore(app.channelHandlerContext().name(), SSL_HANDLER, ssl);
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                terminateClient(ssl.applicationProtocol());
            } else {
                refuse(ends.stats().appFailed, "handshake with the " + (ends.outbound() ? "upstream" : "app")
                        + " failed: " + reason(f));
            }
        });
    }

    /** Gets the certificate to show (minted the first time for TLS_OUT_UNWRAP), then answers the client. */
    private void terminateClient(String alpn) {
        if (finished) {
            return;
        }
        CompletableFuture<ServerContexts> contexts = ends.clientContexts(hello, farHost);
        ServerContexts ready = contexts.getNow(null);
        if (ready != null) {
            terminateClient(ready, alpn);
            return;
        }
        EventExecutor loop = client.channelHandlerContext().executor();
        contexts.whenComplete((c, e) -> loop.execute(() -> {
            if (e == null) {
                terminateClient(c, alpn);
            } else {
                fail(ends.stats().clientFailed, String.valueOf((e.getCause() == null ? e : e.getCause()).getMessage()));
            }
        }));
    }

    private void terminateClient(ServerContexts contexts, String alpn) {
        if (finished) {
            return;
        }
        Channel channel = client.channelHandlerContext().channel();
        SslHandler ssl;
        try {
            ssl = contexts.forAlpn(alpn).newHandler(channel.alloc());
        } catch (SSLException | RuntimeException e) {
            fail(ends.stats().clientFailed, "cannot answer ALPN " + alpn + ": " + reason(e));
            return;
        }
        ssl.setHandshakeTimeoutMillis(0);
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                onClientHandshake(ssl);
            } else {
                fail(ends.stats().clientFailed, reason(f));
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
        okPending = true; // counted once the app answers or the connection ends without the app failing it
        SSLSession s = ssl.engine().getSession();
        outcome.ready(new TlsSession(s.getProtocol(), s.getCipherSuite(), hello.sni(), ssl.applicationProtocol(),
                hello.alpn(), true));
    }

    private void timedOut() {
        fail(ends.stats().timedOut, "handshake not finished within TLS_HANDSHAKE_TIMEOUT (" + ends.handshakeTimeout() + ")");
    }

    private void fail(LongAdder counter, String reason) {
        if (finished) {
            return;
        }
        report(counter, reason);
        outcome.failed();
    }

    /**
     * The far side's handshake failed: reported once, then the client, whose ClientHello is still held, is answered
     * with a TLS alert ({@link Refusal}) rather than a bare close, so that its TLS stack says "handshake failure"
     * instead of "connection reset". The connection closes once the alert is out (or after the handshake timeout,
     * should the client not read it).
     */
    private void refuse(LongAdder counter, String reason) {
        if (finished) {
            return;
        }
        report(counter, reason);
        TlsFront f = front;
        front = null;
        Channel channel = client.channelHandlerContext().channel();
        if (f == null || !channel.isActive()) {
            outcome.failed();
            return;
        }
        SslHandler ssl;
        try {
            ssl = Refusal.context().newHandler(channel.alloc());
        } catch (SSLException | RuntimeException e) {
            outcome.failed();
            return;
        }
        ssl.setHandshakeTimeoutMillis(ends.handshakeTimeout().toMillis());
        ssl.handshakeFuture().addListener(done -> channel.close());
        channel.closeFuture().addListener(closed -> outcome.failed());
        channel.config().setAutoRead(true);
        f.terminate(ssl);
    }

    private void report(LongAdder counter, String reason) {
        finished = true;
        cancelTimer();
        counter.increment();
        warnFailed(reason);
    }

    /** The one WARN line of a failed handshake; names the upstream too when goproxy unwraps the app's own calls. */
    private void warnFailed(String reason) {
        LogFields fields = LogFields.of("remoteAddr", clientAddr, "cid", cid, "reason", reason, "sni", sni());
        if (ends.outbound()) {
            fields = fields.and("upstream", farAddr == null ? "" : farAddr);
        }
        LOG.warnf("TLS handshake failed", fields);
    }

    private String farSide() {
        return ends.outbound() ? "the upstream" : "the app";
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
            String side = appSide ? farSide() : "the client";
            report(appSide ? ends.stats().appFailed : ends.stats().clientFailed,
                    side + " ended the connection during the handshake: " + reason);
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
        okPending = false;
        ends.stats().appFailed.increment();
        warnFailed(farSide() + " ended the connection right after the handshake without answering (its handshake"
                + " timeout or a TLS alert): " + reason);
    }

    private String sni() {
        return hello == null || hello.sni() == null ? "" : hello.sni();
    }

    /** The app sent its first bytes after the handshakes: its side of the handshake succeeded, the connection counts as ok. */
    public void appAnswered() {
        countOk();
    }

    /**
     * The relay closed the connection, after {@link #appClosedBeforeAnswering} if that applied: a connection whose
     * handshakes finished and that the app did not fail is counted as ok now, if its app never answered.
     */
    public void ended() {
        countOk();
    }

    private void countOk() {
        if (okPending) {
            okPending = false;
            ends.stats().ok.increment();
        }
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

    /**
     * As {@link #reason(Future)}, for an exception the relay saw on a socket. The TLS stack's message is followed by
     * the root cause's when there is one: BoringSSL says only "General OpenSslEngine problem" for a certificate that
     * did not verify, and the trust manager's words under it say why ("unable to find valid certification path").
     */
    public static String reason(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SSLException && c.getMessage() != null) {
                Throwable root = c;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                return root == c || root.getMessage() == null || c.getMessage().contains(root.getMessage())
                        ? c.getMessage() : c.getMessage() + ": " + root.getMessage();
            }
        }
        return t == null ? "unknown" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
