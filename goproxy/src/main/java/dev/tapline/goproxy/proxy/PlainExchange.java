package dev.tapline.goproxy.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import dev.tapline.goproxy.proxy.ProxyStats.Outcome;
import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.ConnectionTap;
import dev.tapline.goproxy.relay.DialError;
import dev.tapline.goproxy.relay.Direction;
import dev.tapline.goproxy.relay.Relays;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * One absolute-form request ({@code GET http://host/path}) relayed to its origin, over an idle connection to that
 * origin kept by the app connection's {@link OriginPool}, or a new one.
 *
 * <pre>
 *   app ──head as sent──▶ tap (outbound capture: absolute URL)    origin ──response──▶ tap
 *       ──origin-form head──▶ origin                                     ──head, hop-by-hop fields out──▶ app
 *       ──body (Content-Length or chunked, up to its end)──▶ origin      ──body, up to its end──▶ app
 * </pre>
 *
 * The response ends by its framing (Content-Length, chunked, none for HEAD, 204 and 304: {@link BodyFraming});
 * the origin connection then goes back to the pool and the app's connection carries its next request. A response
 * without a length ends when the origin closes, and then the app's connection closes too. Hop-by-hop fields
 * (Connection and those it names, Keep-Alive, Proxy-*) are not passed on (RFC 9110 section 7.6.1).
 *
 * <p>A pooled connection that the origin closes before any of the response came (it gave up on the idle connection
 * as the request went out) is retried once on a new connection when the request is idempotent and has no body
 * (RFC 9110 section 9.2.2): nothing reached the app yet and the head can be sent again. The capture sees the
 * request once: each exchange has a tap of its own, kept across the retry.
 */
final class PlainExchange {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "proxy-authenticate", "te", "upgrade");

    private final HttpFrontEnd front;
    private final Relays relays;
    private final HttpHead head;
    private final Authority to;
    private final BodyFraming body;
    private final boolean appKeepAlive;
    /** Idempotent and without a body: may be sent again on a new connection (see the class comment). */
    private final boolean retryable;
    private final long acceptedNanos = System.nanoTime();
    private ByteBuf headBytes;
    private NetSocketInternal origin;
    private ConnectionTap tap = ConnectionTap.NONE;
    private ByteBuf responseHead = Unpooled.buffer(512);
    private boolean responseHeadDone;
    /** Where the response body ends; null: when the origin closes. */
    private BodyFraming responseBody;
    private boolean keepAlive;
    /** The origin connection may carry the next request once this response has ended. */
    private boolean originReusable;
    private boolean wroteToApp;
    private boolean ended;
    /** The origin connection came from the pool. */
    private boolean pooled;
    private boolean heardFromOrigin;
    private boolean retried;
    private byte[] originHead;

    PlainExchange(HttpFrontEnd front, Relays relays, HttpHead head, ByteBuf headBytes, Authority to, BodyFraming body) {
        this.front = front;
        this.relays = relays;
        this.head = head;
        this.headBytes = headBytes;
        this.to = to;
        this.body = body;
        boolean http10 = head.third().equals("HTTP/1.0");
        boolean close = head.hasToken("Connection", "close") || head.hasToken("Proxy-Connection", "close");
        boolean keep = head.hasToken("Connection", "keep-alive") || head.hasToken("Proxy-Connection", "keep-alive");
        this.appKeepAlive = !close && (!http10 || keep);
        this.retryable = body.done() && IDEMPOTENT.contains(head.first());
    }

    void start() {
        NetSocketInternal idle = front.pool().take(to.hostPort());
        if (idle != null) {
            onConnected(idle, true);
        } else {
            dial();
        }
    }

    private void dial() {
        relays.dialer().connect(to.port(), to.host()).onComplete(ar -> {
            if (ended) {
                if (ar.succeeded()) {
                    ar.result().close();
                }
            } else if (ar.failed()) {
                DialError.log(front.clientAddr(), to.host(), to.port(), ar.cause());
                failBeforeResponse(Outcome.UNREACHABLE, 502, "Bad Gateway", "could not connect to " + to.hostPort());
            } else if (front.loops().isSelf(ar.result().remoteAddress())) {
                ar.result().close();
                end();
                front.refuseLoop(to.hostPort());
            } else {
                onConnected((NetSocketInternal) ar.result(), false);
            }
        });
    }

    private void onConnected(NetSocketInternal socket, boolean fromPool) {
        origin = socket;
        pooled = fromPool;
        if (!retried) {
            front.stats().count(ProxyProtocol.HTTP, Outcome.FORWARDED);
            String directAddr = socket.remoteAddress().hostAddress() + ":" + socket.remoteAddress().port();
            tap = relays.taps().open(new ConnectionInfo(relays.nextCid(), front.clientAddr(), directAddr,
                    acceptedNanos, true, to.hostPort(), null));
            safeTap(Direction.CLIENT_TO_APP, headBytes); // as the app sent it: the absolute URL is captured
            headBytes.release();
            headBytes = null;
            originHead = originHead().getBytes(StandardCharsets.ISO_8859_1);
        }
        origin.messageHandler(this::onOriginMessage);
        origin.closeHandler(v -> onOriginClosed());
        origin.exceptionHandler(e -> origin.close());
        origin.drainHandler(v -> front.updateReading());
        front.client().drainHandler(v -> {
            if (origin != null) {
                origin.channelHandlerContext().channel().config().setAutoRead(true);
            }
        });
        origin.writeMessage(Unpooled.wrappedBuffer(originHead));
        pump();
        front.updateReading();
    }

    /** The request head for the origin: origin-form target, hop-by-hop fields out. */
    private String originHead() {
        StringBuilder out = new StringBuilder(256);
        out.append(head.first()).append(' ').append(to.originForm()).append(' ').append(head.third()).append("\r\n");
        boolean host = false;
        Set<String> named = head.tokens("Connection");
        for (String[] f : head.fields()) {
            String name = f[0].toLowerCase(java.util.Locale.ROOT);
            if (HOP_BY_HOP.contains(name) || named.contains(name)) {
                continue;
            }
            host |= name.equals("host");
            out.append(f[0]).append(": ").append(f[1]).append("\r\n");
        }
        if (!host) {
            out.append("Host: ").append(to.port() == 80 ? bracketed() : to.hostPort()).append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    private String bracketed() {
        return to.host().indexOf(':') >= 0 ? "[" + to.host() + "]" : to.host();
    }

    /** Passes on what the app has sent of the body, up to its end. */
    void pump() {
        if (origin == null || ended || body.done()) {
            return;
        }
        ByteBuf buffered = front.buffered();
        int n;
        try {
            n = body.take(buffered);
        } catch (HttpHead.Malformed e) {
            abort();
            front.refuse(Outcome.BAD_REQUEST, 400, "Bad Request", e.getMessage());
            return;
        }
        if (n > 0) {
            ByteBuf part = buffered.readRetainedSlice(n);
            safeTap(Direction.CLIENT_TO_APP, part);
            origin.writeMessage(part);
        }
    }

    /** Whether more of the app's body is wanted now. */
    boolean wantsBody() {
        return origin != null && !body.done() && !origin.writeQueueFull();
    }

    private void onOriginMessage(Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        front.idle().onRead();
        heardFromOrigin = true;
        safeTap(Direction.APP_TO_CLIENT, buf);
        if (responseHeadDone) {
            onResponseBody(buf);
            return;
        }
        responseHead.writeBytes(buf);
        buf.release();
        readResponseHeads();
    }

    /** Interim (1xx) heads pass unchanged; the final one is rewritten, then the body passes up to its end. */
    private void readResponseHeads() {
        while (!responseHeadDone) {
            int length;
            HttpHead h;
            int status;
            try {
                length = HttpHead.length(responseHead);
                if (length < 0) {
                    return;
                }
                h = HttpHead.parse(responseHead, length);
                status = Integer.parseInt(h.second());
            } catch (HttpHead.Malformed | NumberFormatException e) {
                // not a response we can read: pass it on as it is, and end both connections with it
                responseHeadDone = true;
                keepAlive = false;
                break;
            }
            if (status >= 100 && status < 200 && status != 101) {
                toApp(responseHead.readRetainedSlice(length));
                continue;
            }
            responseHead.skipBytes(length);
            responseHeadDone = true;
            try {
                responseBody = status == 101 ? null : BodyFraming.ofResponse(h, status, head.first());
            } catch (HttpHead.Malformed e) {
                responseBody = null; // a bad Content-Length: passed on as it is, up to the origin's close
            }
            keepAlive = appKeepAlive && body.done() && responseBody != null;
            originReusable = responseBody != null && body.done() && head.third().equals("HTTP/1.1")
                    && h.first().equals("HTTP/1.1") && !h.hasToken("Connection", "close");
            toApp(Unpooled.wrappedBuffer(appHead(h).getBytes(StandardCharsets.ISO_8859_1)));
        }
        ByteBuf rest = responseHead.isReadable() ? responseHead.retainedSlice() : Unpooled.EMPTY_BUFFER;
        responseHead.release();
        responseHead = Unpooled.EMPTY_BUFFER;
        onResponseBody(rest);
    }

    /** Passes on the response body up to its end (takes {@code buf}); then the exchange is done. */
    private void onResponseBody(ByteBuf buf) {
        if (responseBody == null) {
            if (buf.isReadable()) {
                toApp(buf);
            } else {
                buf.release();
            }
            return;
        }
        int n;
        try {
            n = responseBody.take(buf);
        } catch (HttpHead.Malformed e) {
            // broken chunked framing: pass on what came and end both connections
            toApp(buf);
            responseBody = null;
            keepAlive = false;
            originReusable = false;
            finish();
            return;
        }
        if (n < buf.readableBytes()) {
            originReusable = false; // more than the response: the origin is out of step with us
            toApp(buf.readRetainedSlice(n));
            buf.release();
        } else {
            toApp(buf);
        }
        if (responseBody.done()) {
            finish();
        }
    }

    /** The response has ended by its framing: the origin connection goes back to the pool, or is closed. */
    private void finish() {
        NetSocketInternal o = origin;
        boolean reuse = originReusable;
        end();
        if (reuse) {
            front.pool().put(to.hostPort(), o);
        } else {
            o.close();
        }
        front.exchangeDone(keepAlive);
    }

    private String appHead(HttpHead h) {
        StringBuilder out = new StringBuilder(256);
        out.append(h.first()).append(' ').append(h.second()).append(' ').append(h.third()).append("\r\n");
        Set<String> named = h.tokens("Connection");
        for (String[] f : h.fields()) {
            String name = f[0].toLowerCase(java.util.Locale.ROOT);
            if (!name.equals("connection") && !name.equals("keep-alive") && !named.contains(name)) {
                out.append(f[0]).append(": ").append(f[1]).append("\r\n");
            }
        }
        if (!keepAlive) {
            out.append("Connection: close\r\n");
        } else if (head.third().equals("HTTP/1.0")) {
            out.append("Connection: keep-alive\r\n");
        }
        return out.append("\r\n").toString();
    }

    private void toApp(ByteBuf buf) {
        wroteToApp = true;
        NetSocketInternal app = front.client();
        app.writeMessage(buf);
        if (app.writeQueueFull() && origin != null) {
            origin.channelHandlerContext().channel().config().setAutoRead(false);
        }
    }

    private void onOriginClosed() {
        if (ended) {
            return;
        }
        if (pooled && !heardFromOrigin && retryable && !retried) {
            retried = true; // a pooled connection the origin had given up on: once more on a new one
            origin.messageHandler(ReferenceCountUtil::release);
            origin.closeHandler(null);
            origin.exceptionHandler(null);
            origin = null;
            dial();
            return;
        }
        safeEnd();
        if (!responseHeadDone) {
            keepAlive = false;
            if (!wroteToApp) {
                end();
                front.refuse(Outcome.UNREACHABLE, 502, "Bad Gateway", to.hostPort() + " closed without a response");
                return;
            }
            if (responseHead.isReadable()) {
                toApp(responseHead.retainedSlice());
            }
        } else if (responseBody != null && !responseBody.done()) {
            keepAlive = false; // the response was cut short: the app must not wait for the rest
        }
        end();
        front.exchangeDone(keepAlive);
    }

    private void failBeforeResponse(Outcome outcome, int status, String reason, String why) {
        end();
        front.refuse(outcome, status, reason, why);
    }

    /** The app's connection is going away: drop the origin's. */
    void abort() {
        if (!ended) {
            end();
            if (origin != null) {
                origin.close();
            }
        }
    }

    private void end() {
        ended = true;
        if (headBytes != null) {
            headBytes.release();
            headBytes = null;
        }
        if (responseHead.refCnt() > 0 && responseHead != Unpooled.EMPTY_BUFFER) {
            responseHead.release();
            responseHead = Unpooled.EMPTY_BUFFER;
        }
        if (origin != null) {
            origin.messageHandler(ReferenceCountUtil::release);
            origin.closeHandler(null);
        }
        front.client().drainHandler(null);
        try {
            tap.onClosed();
        } catch (RuntimeException e) {
            // the capture must never break the relay
        }
    }

    private void safeTap(Direction direction, ByteBuf bytes) {
        try {
            tap.onBytes(direction, bytes);
        } catch (RuntimeException e) {
            // see end()
        }
    }

    private void safeEnd() {
        try {
            tap.onEnd(Direction.APP_TO_CLIENT);
        } catch (RuntimeException e) {
            // see end()
        }
    }
}
