package dev.tapline.goproxy.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.proxy.ProxyStats.Outcome;
import dev.tapline.goproxy.relay.IdleCheck;
import dev.tapline.goproxy.relay.Relays;
import dev.tapline.goproxy.relay.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * The HTTP forward proxy on one app connection: reads request heads and serves each.
 *
 * <pre>
 *   CONNECT host:port ──▶ Relays.relay (tunnel, "200 Connection established", capture inside) ── this object is done
 *   GET http://host/p ──▶ PlainExchange (origin-form to host, response back) ──▶ next head (keep-alive)
 *                          └─ origin connections kept between requests: OriginPool, one per app connection
 *   anything else     ──▶ 400 and close
 * </pre>
 *
 * Runs on the connection's event loop. What was read and not handled yet sits in one bounded buffer; reading stops
 * while a request's body cannot be passed on (origin not connected yet, or not draining) and while an answer is
 * on its way (a pipelined request waits for it).
 */
final class HttpFrontEnd {
    private static final Logger LOG = Logger.getLogger(HttpFrontEnd.class);

    private final NetSocketInternal client;
    private final Channel channel;
    private final Relays relays;
    private final LoopGuard loops;
    private final ProxyStats stats;
    private final String clientAddr;
    private final IdleCheck idle;
    private final OriginPool pool;
    private ByteBuf buffered = Unpooled.buffer(1024);
    private PlainExchange exchange;
    private boolean closed;
    /** Nothing more is read: refused, or handed to a tunnel. */
    private boolean done;
    private boolean tunneled;

    HttpFrontEnd(NetSocket socket, Relays relays, LoopGuard loops, ProxyStats stats) {
        this.client = (NetSocketInternal) socket;
        this.channel = client.channelHandlerContext().channel();
        this.relays = relays;
        this.loops = loops;
        this.stats = stats;
        this.clientAddr = socket.remoteAddress().hostAddress() + ":" + socket.remoteAddress().port();
        this.idle = new IdleCheck(relays.idleTimeout(), channel.eventLoop(), this::close);
        this.pool = new OriginPool(relays.idleTimeout());
    }

    void start() {
        client.messageHandler(this::onMessage);
        client.closeHandler(v -> close());
        client.exceptionHandler(e -> close());
        idle.start();
    }

    private void onMessage(Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (closed || done) {
                return;
            }
            idle.onRead();
            buffered.writeBytes(buf);
        } finally {
            buf.release();
        }
        if (exchange != null) {
            exchange.pump();
        } else {
            process();
        }
        updateReading();
    }

    /** Serves the heads waiting in the buffer, one at a time. */
    private void process() {
        while (exchange == null && !closed && !done) {
            int length;
            HttpHead head;
            try {
                length = HttpHead.length(buffered);
                if (length < 0) {
                    return;
                }
                head = HttpHead.parse(buffered, length);
                validate(head);
            } catch (HttpHead.Malformed e) {
                refuse(Outcome.BAD_REQUEST, 400, "Bad Request", e.getMessage());
                return;
            }
            serve(head, length);
        }
    }

    private static void validate(HttpHead head) throws HttpHead.Malformed {
        if (!HttpHead.isToken(head.first(), head.first().length())) {
            throw new HttpHead.Malformed("bad method " + HttpHead.printable(head.first()));
        }
        if (!head.third().equals("HTTP/1.1") && !head.third().equals("HTTP/1.0")) {
            throw new HttpHead.Malformed("not HTTP/1.0 or HTTP/1.1: " + HttpHead.printable(head.third()));
        }
    }

    private void serve(HttpHead head, int length) {
        try {
            if (head.first().equals("CONNECT")) {
                Authority to = Authority.ofConnect(head.second());
                if (!loopRefused(to)) {
                    buffered.skipBytes(length);
                    tunnel(to);
                }
            } else if (head.second().regionMatches(true, 0, "http://", 0, 7)) {
                Authority to = Authority.ofAbsolute(head.second());
                if (!loopRefused(to)) {
                    ByteBuf headBytes = buffered.readRetainedSlice(length);
                    exchange = new PlainExchange(this, relays, head, headBytes, to, BodyFraming.ofRequest(head));
                    exchange.start();
                }
            } else if (head.second().regionMatches(true, 0, "https://", 0, 8)) {
                refuse(Outcome.NOT_SUPPORTED, 400, "Bad Request", "https:// URLs go through CONNECT");
            } else {
                refuse(Outcome.BAD_REQUEST, 400, "Bad Request",
                        "a proxy request needs an absolute http:// URL or CONNECT host:port");
            }
        } catch (HttpHead.Malformed e) {
            refuse(Outcome.BAD_REQUEST, 400, "Bad Request", e.getMessage());
        }
    }

    private boolean loopRefused(Authority to) {
        if (loops.isSelf(to.host(), to.port())) {
            refuseLoop(to.hostPort());
            return true;
        }
        return false;
    }

    void refuseLoop(String hostPort) {
        LOG.warnf("Refused a proxy request to goproxy itself", LogFields.of("remoteAddr", clientAddr, "addr", hostPort));
        refuse(Outcome.LOOP_REFUSED, 403, "Forbidden", "refusing to proxy to goproxy itself: " + hostPort);
    }

    /** CONNECT: the relay takes the connection over, with what the app sent past the head. */
    private void tunnel(Authority to) {
        done = true;
        tunneled = true;
        idle.stop();
        pool.close();
        List<Object> early = buffered.isReadable() ? List.of(buffered.retainedSlice()) : List.of();
        buffered.release();
        buffered = Unpooled.EMPTY_BUFFER;
        TunnelRoute route = new TunnelRoute(to.host(), to.port(), loops, this::tunnelReply, () -> {
            stats.count(ProxyProtocol.HTTP, Outcome.LOOP_REFUSED);
            LOG.warnf("Refused a proxy request to goproxy itself", LogFields.of("remoteAddr", clientAddr, "addr", to.hostPort()));
        });
        relays.relay(client, relays.nextCid(), route, early);
    }

    private Buffer tunnelReply(Route.Outcome outcome, io.vertx.core.net.SocketAddress local) {
        return switch (outcome) {
            case CONNECTED -> {
                stats.count(ProxyProtocol.HTTP, Outcome.TUNNEL);
                yield Buffer.buffer("HTTP/1.1 200 Connection established\r\n\r\n");
            }
            case UNREACHABLE -> {
                stats.count(ProxyProtocol.HTTP, Outcome.UNREACHABLE);
                yield answer(502, "Bad Gateway", "could not connect");
            }
            case REFUSED -> answer(403, "Forbidden", "refusing to proxy to goproxy itself");
        };
    }

    /** A plain exchange ended; {@code keepAlive}: the connection may carry the next request. */
    void exchangeDone(boolean keepAlive) {
        exchange = null;
        if (!keepAlive) {
            close();
            return;
        }
        process();
        updateReading();
    }

    /** Answers with an error and closes (after the answer is written). */
    void refuse(Outcome outcome, int status, String reason, String why) {
        stats.count(ProxyProtocol.HTTP, outcome);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Proxy request refused", LogFields.of("remoteAddr", clientAddr, "status", status, "reason", why));
        }
        done = true;
        client.write(answer(status, reason, why)).onComplete(ar -> close());
    }

    static Buffer answer(int status, String reason, String why) {
        byte[] body = (reason + ": " + why + "\n").getBytes(StandardCharsets.UTF_8);
        return Buffer.buffer("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").appendBytes(body);
    }

    /** Reading is on while there is room and someone to take the bytes. */
    void updateReading() {
        if (closed || done) {
            return;
        }
        boolean read = buffered.readableBytes() < HttpHead.MAX_BYTES && (exchange == null || exchange.wantsBody());
        channel.config().setAutoRead(read);
        if (buffered.readerIndex() > 4096) {
            buffered.discardReadBytes();
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        idle.stop();
        if (exchange != null) {
            exchange.abort();
            exchange = null;
        }
        pool.close();
        if (!tunneled) { // else the relay owns the connection
            if (buffered.refCnt() > 0) {
                buffered.release();
            }
            client.close();
        }
    }

    // What PlainExchange uses.

    NetSocketInternal client() {
        return client;
    }

    ByteBuf buffered() {
        return buffered;
    }

    String clientAddr() {
        return clientAddr;
    }

    IdleCheck idle() {
        return idle;
    }

    OriginPool pool() {
        return pool;
    }

    ProxyStats stats() {
        return stats;
    }

    LoopGuard loops() {
        return loops;
    }
}
