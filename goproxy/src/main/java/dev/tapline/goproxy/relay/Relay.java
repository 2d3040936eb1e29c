package dev.tapline.goproxy.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.tls.TlsSession;
import dev.tapline.goproxy.tls.TlsTermination;
import dev.tapline.goproxy.tls.UnwrapSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * One client connection and its app connection, wired back to back.
 *
 * <pre>
 *   client ──▶ Pipe(CLIENT_TO_APP) ──▶ app
 *   client ◀── Pipe(APP_TO_CLIENT) ◀── app
 * </pre>
 *
 * The client is not read until the app connection is up (pause before connect). Either side closing or failing
 * closes the other; a half-close is passed on; the connection is fully closed once both directions ended.
 * Everything runs on the client connection's event loop.
 *
 * <p>With TLS_IN_UNWRAP (or TLS_OUT_UNWRAP on a forward proxy's tunnel) an {@link UnwrapSession} first looks at
 * the client's first bytes: plaintext is relayed as above; a ClientHello gets both TLS handshakes done (far side
 * first) before the pipes are wired, and the pipes then carry plaintext between the two SslHandlers. A tunnel's
 * answer (CONNECT's 200, SOCKS's success) is then written as soon as the far side is connected, since the app
 * waits for it before its ClientHello.
 */
final class Relay implements UnwrapSession.Outcome {
    private static final Logger LOG = Logger.getLogger(Relay.class);
    /** How long an unreachable app's client may keep sending after our FIN before the socket is closed. */
    private static final long LINGER_MILLIS = 2_000;
    /**
     * SO_RCVBUF of the socket to the app in reverse-proxy mode (the kernel may clamp it to net.core.rmem_max). The
     * app is local (a sidecar's neighbour, over loopback with its 64 KiB segments), and Linux's receive-buffer
     * autotuning only grows a buffer whose reader copied more than the buffer in one round trip. A relay whose
     * core is busy (capture on, the app on the same core) reads a 64 KiB window at a time: the buffer then never
     * grows, the window stays at one segment, and that connection crawls while the others, whose buffer grew
     * earlier, take the relay (HTTP/2 with 64 KiB answers: p99 ~1 s against ~0.1 s; docs/benchmarks/
     * 2026-12-04-h2big-4.md). A fixed buffer keeps every connection's window open. Tunnels of the forward proxy go
     * to far hosts: autotuning stays theirs.
     */
    static final int APP_RECEIVE_BUFFER_BYTES = 1024 * 1024;

    private final RelayContext ctx;
    private final Route route;
    private final NetSocketInternal client;
    private final long cid;
    private final String clientAddr;
    private final long acceptedNanos = System.nanoTime();
    private List<Object> early;
    private NetSocketInternal app;
    private ConnectionTap tap = ConnectionTap.NONE;
    private Pipe requests;
    private Pipe responses;
    private IdleCheck idle;
    private boolean closed;
    private boolean clientEndedEarly;
    /**
     * With TLS_IN_UNWRAP: how the app ended its connection after the handshakes without having sent a byte; null
     * while it did not. The client then gets an empty answer, reported at the close if the client had asked something.
     */
    private String appSilentEnd;
    /** The app's FIN came before the pipes were wired (with TLS_IN_UNWRAP, while the client was still deciding). */
    private boolean appEndedEarly;
    /** The app's connection ended with a TLS error (an alert, e.g. a client certificate it requires), not a close. */
    private boolean appTlsError;
    private boolean lingering;
    /** TLS_IN_UNWRAP's session, null when it is off or once the client turned out to speak plaintext. */
    private UnwrapSession unwrap;
    /** With TLS_IN_UNWRAP: the client's first bytes decided (plain or a ClientHello). */
    private boolean clientDecided;
    private boolean clientHello;
    /** TLS_OUT_UNWRAP on this tunnel: the front end's answer goes out as soon as the far side is connected. */
    private boolean unwrapsTunnel;
    /** The route's CONNECTED answer was written. */
    private boolean replied;
    /** App bytes read before the pipes were wired (an app that speaks first, or right after its handshake). */
    private List<Object> appEarly;

    /**
     * @param early bytes a front end read from the client past its handshake (they go to the far side first); the
     *              relay takes ownership
     */
    Relay(RelayContext ctx, NetSocket socket, long cid, Route route, List<Object> early) {
        this.ctx = ctx;
        this.route = route;
        this.client = (NetSocketInternal) socket;
        this.cid = cid;
        this.early = new ArrayList<>(early);
        this.clientAddr = socket.remoteAddress().hostAddress() + ":" + socket.remoteAddress().port();
    }

    void start() {
        Channel channel = client.channelHandlerContext().channel();
        channel.config().setAutoRead(false);
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        client.messageHandler(msg -> early.add(msg));
        client.eventHandler(this::onClientEvent);
        client.closeHandler(v -> clientGone("closed"));
        client.exceptionHandler(e -> clientGone(UnwrapSession.reason(e)));
        ctx.stats.connectionsTotal.increment();
        ctx.stats.connectionsActive.incrementAndGet();
        ctx.open.add(this);
        // TLS_IN_UNWRAP for clients calling the app, TLS_OUT_UNWRAP for the app's tunnels; without, TLS is relayed
        TlsTermination termination = route.outbound() ? ctx.outUnwrap : ctx.unwrap;
        clientDecided = termination == null;
        if (termination != null) {
            List<Object> held = early; // judged by the session first; what it lets through comes back here
            early = new ArrayList<>();
            unwrap = termination.open(client, clientAddr, cid, this);
            unwrapsTunnel = route.outbound();
            unwrap.start(held);
        }
        ctx.netClient.connect(route.port(), route.host()).onComplete(ar -> {
            if (ar.succeeded()) {
                onAppConnected((NetSocketInternal) ar.result());
            } else {
                onAppUnreachable(ar.cause());
            }
        });
    }

    private void onAppConnected(NetSocketInternal socket) {
        if (closed) {
            socket.close();
            return;
        }
        if (route.refuse(socket.remoteAddress())) {
            socket.close();
            replyThen(Route.Outcome.REFUSED, null, this::lingerThenClose);
            return;
        }
        app = socket;
        Channel appChannel = app.channelHandlerContext().channel();
        appChannel.config().setAutoRead(false);
        appChannel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        if (!route.outbound()) {
            appChannel.config().setOption(ChannelOption.SO_RCVBUF, APP_RECEIVE_BUFFER_BYTES);
        }
        if (unwrapsTunnel) {
            // the app sends its ClientHello only once told the tunnel is up: answer now, before any TLS byte
            replied = true;
            Buffer reply = route.reply(Route.Outcome.CONNECTED, app.localAddress());
            if (reply != null) {
                client.write(reply);
            }
        }
        if (clientDecided && !clientHello) {
            wire(null);
            return;
        }
        // TLS_IN_UNWRAP, the client's first bytes not decided or a handshake to come: watch the app meanwhile
        app.closeHandler(v -> appGone("closed"));
        app.exceptionHandler(this::appFailed);
        app.eventHandler(this::onAppEventBeforeWired);
        appEarly = new ArrayList<>(1);
        app.messageHandler(msg -> {
            appEarly.add(msg);
            if (!clientDecided) {
                appChannel.config().setAutoRead(false);
                unwrap.appSpokeFirst();
            }
        });
        idle = new IdleCheck(ctx.idleTimeout, client.channelHandlerContext().channel().eventLoop(), this::closeBoth);
        idle.start();
        if (clientHello) {
            unwrap.bridge(app, route.host(), route.port());
        } else {
            appChannel.config().setAutoRead(true); // an app that speaks first decides: not TLS
        }
    }

    @Override
    public void plain() {
        clientDecided = true;
        unwrap = null;
        if (app != null && !closed) {
            wire(null);
        }
    }

    @Override
    public void helloArrived() {
        clientDecided = true;
        clientHello = true;
        if (app != null && !closed) {
            unwrap.bridge(app, route.host(), route.port());
        }
    }

    @Override
    public void ready(TlsSession session) {
        if (!closed) {
            wire(session);
        }
    }

    @Override
    public void failed() {
        closeBoth();
    }

    /** Both sockets are up (and TLS, if any, is done): the pipes take over. */
    private void wire(TlsSession tls) {
        client.channelHandlerContext().channel().config().setAutoRead(false);
        app.channelHandlerContext().channel().config().setAutoRead(false);
        String directAddr = app.remoteAddress().hostAddress() + ":" + app.remoteAddress().port();
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Connection established", fields(directAddr));
        }
        tap = ctx.taps.open(new ConnectionInfo(cid, clientAddr, directAddr, acceptedNanos, route.outbound(),
                route.outbound() ? route.host() + ":" + route.port() : directAddr, tls));
        Buffer reply = replied ? null : route.reply(Route.Outcome.CONNECTED, app.localAddress());
        if (reply != null) {
            client.write(reply); // queued before any relayed byte
        }
        boolean idleRunning = idle != null;
        if (!idleRunning) {
            idle = new IdleCheck(ctx.idleTimeout, client.channelHandlerContext().channel().eventLoop(), this::closeBoth);
        }
        requests = new Pipe(Direction.CLIENT_TO_APP, client, app, tap, ctx.stats, idle);
        responses = new Pipe(Direction.APP_TO_CLIENT, app, client, tap, ctx.stats, idle);
        if (tls != null && unwrap != null) {
            app.messageHandler(this::firstAnswer); // counts the TLS handshake as ok, then steps aside
        } else {
            app.messageHandler(responses::onMessage);
        }
        app.eventHandler(this::onAppEvent);
        app.closeHandler(v -> appGone("closed"));
        app.exceptionHandler(this::appFailed);
        client.messageHandler(requests::onMessage);
        List<Object> pending = early;
        early = null;
        pending.forEach(requests::onMessage);
        if (appEarly != null) {
            List<Object> fromApp = appEarly;
            appEarly = null;
            if (!fromApp.isEmpty() && tls != null && unwrap != null) {
                unwrap.appAnswered();
                app.messageHandler(responses::onMessage);
            }
            fromApp.forEach(responses::onMessage);
        }
        requests.start();
        responses.start();
        if (!idleRunning) {
            idle.start();
        }
        if (clientEndedEarly) {
            requests.onInputShutdown(responses.ended(), this::closeIfBothEnded);
        }
        if (appEndedEarly && !closed) {
            responses.onInputShutdown(requests.ended(), this::closeIfBothEnded);
        }
    }

    /** The app socket's receive buffer as the kernel reports it (SO_RCVBUF), or -1 before it is connected. */
    int appReceiveBufferBytes() {
        return app == null ? -1 : app.channelHandlerContext().channel().config().getOption(ChannelOption.SO_RCVBUF);
    }

    /** With TLS: the app's first bytes after the handshakes tell that it accepted them (see UnwrapSession#appAnswered). */
    private void firstAnswer(Object msg) {
        if (!closed) {
            unwrap.appAnswered();
        }
        app.messageHandler(responses::onMessage);
        responses.onMessage(msg);
    }

    private void onAppUnreachable(Throwable cause) {
        ctx.stats.appConnectFailures.increment();
        DialError.log(clientAddr, route.host(), route.port(), cause);
        replyThen(Route.Outcome.UNREACHABLE, null, this::lingerThenClose);
    }

    /** Writes the route's answer for {@code outcome}, if any, then runs {@code then} once it is written. */
    private void replyThen(Route.Outcome outcome, SocketAddress local, Runnable then) {
        Buffer reply = closed ? null : route.reply(outcome, local);
        if (reply == null) {
            then.run();
        } else {
            client.write(reply).onComplete(ar -> then.run());
        }
    }

    /**
     * Closes the client without a TCP reset: Linux answers the close of a socket with unread bytes (the request we
     * never read, since the app was not there) with a RST, which can make the client lose what it had received.
     * So: FIN first, then read and drop whatever the client still sends, and close when it closes too or after
     * {@link #LINGER_MILLIS} (as HTTP servers do on a lingering close).
     */
    private void lingerThenClose() {
        if (closed || clientEndedEarly) {
            closeBoth();
            return;
        }
        lingering = true;
        if (unwrap != null) {
            unwrap.close();
        }
        List<Object> pending = early;
        early = null;
        pending.forEach(ReferenceCountUtil::release);
        client.messageHandler(ReferenceCountUtil::release);
        Channel channel = client.channelHandlerContext().channel();
        if (channel instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
        }
        channel.config().setAutoRead(true);
        channel.eventLoop().schedule(this::closeBoth, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void onClientEvent(Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            if (lingering) {
                closeBoth(); // the client is done too
            } else if (requests == null) {
                // FIN before the app connection is up: the bytes read so far still go to the app, then the FIN
                clientEndedEarly = true;
            } else {
                requests.onInputShutdown(responses.ended(), this::closeIfBothEnded);
            }
        }
        ReferenceCountUtil.release(event);
    }

    /**
     * With TLS_IN_UNWRAP, before the pipes are wired: the app's FIN during a TLS handshake ends that handshake (the
     * app will not answer it); before the client decided, it is kept and passed on once wired.
     */
    private void onAppEventBeforeWired(Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            appEndedEarly = true;
            if (clientHello) {
                appGone("closed");
            }
        }
        ReferenceCountUtil.release(event);
    }

    private void onAppEvent(Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            appEnded("closed");
            responses.onInputShutdown(requests.ended(), this::closeIfBothEnded);
        }
        ReferenceCountUtil.release(event);
    }

    private void closeIfBothEnded() {
        if (requests.ended() && responses.ended()) {
            closeBoth();
        }
    }

    /** The client's socket closed or failed: a TLS handshake under way is reported as failed, then both close. */
    private void clientGone(String reason) {
        if (unwrap != null && !closed) {
            unwrap.sideGone(reason, false);
        }
        closeBoth();
    }

    /** The app's socket closed or failed: as {@link #clientGone}, and a TLS app that never answered is said so. */
    private void appGone(String reason) {
        if (unwrap != null && !closed) {
            appEnded(reason);
            unwrap.sideGone(reason, true);
        }
        closeBoth();
    }

    /** The app's socket failed; a TLS error there after the handshakes is the app refusing goproxy, asked or not. */
    private void appFailed(Throwable e) {
        for (Throwable c = e; c != null && !appTlsError; c = c.getCause()) {
            appTlsError = c instanceof javax.net.ssl.SSLException;
        }
        appGone(UnwrapSession.reason(e));
    }

    /** The app ended its side; after the TLS handshakes and before it sent a byte, that is noted for the close. */
    private void appEnded(String reason) {
        if (unwrap != null && responses != null && responses.relayed() == 0 && appSilentEnd == null) {
            appSilentEnd = reason;
        }
    }

    /** Closes both sockets (Vert.x writes out what is queued first). Idempotent. */
    void closeBoth() {
        if (closed) {
            return;
        }
        closed = true;
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
            early = null;
        }
        if (idle != null) {
            idle.stop();
        }
        if (unwrap != null) {
            if (appSilentEnd != null && (requests.relayed() > 0 || appTlsError)) {
                unwrap.appClosedBeforeAnswering(appSilentEnd);
            }
            unwrap.ended();
            unwrap.close();
        }
        if (appEarly != null) {
            appEarly.forEach(ReferenceCountUtil::release);
            appEarly = null;
        }
        client.close();
        if (app != null) {
            app.close();
        }
        ctx.stats.connectionsActive.decrementAndGet();
        ctx.open.remove(this);
        try {
            tap.onClosed();
        } catch (RuntimeException e) {
            // the capture must never break the relay
        }
    }

    /** Runs {@link #closeBoth()} on this connection's event loop (used by the shutdown drain). */
    void closeFromAnyThread() {
        ctx.context.runOnContext(v -> closeBoth());
    }

    private LogFields fields(String directAddr) {
        return LogFields.of("remoteAddr", clientAddr, "directAddr", directAddr, "cid", cid);
    }
}
