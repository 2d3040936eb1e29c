package dev.tapline.goproxy.proxy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * The SOCKS forward proxy on one app connection: SOCKS4, SOCKS4a (a host name) and SOCKS5 without authentication
 * (RFC 1928), CONNECT only; then the connection is a tunnel ({@link Relays#relay}, capture inside).
 *
 * <pre>
 *   4: VN=4 CD=1 PORT IP USERID\0 [HOST\0 when IP is 0.0.0.x]      ◀── 0 5A|5B PORT IP
 *   5: 05 N METHODS ◀── 05 00|FF     05 01 00 ATYP ADDR PORT        ◀── 05 REP 00 ATYP BND.ADDR BND.PORT
 * </pre>
 *
 * Every field is bounded (user ids and names of at most 255 bytes); what cannot be read gets the version's refusal
 * and a close.
 */
final class SocksFrontEnd {
    private static final Logger LOG = Logger.getLogger(SocksFrontEnd.class);
    private static final int MAX_HANDSHAKE = 600;

    private final NetSocketInternal client;
    private final Relays relays;
    private final LoopGuard loops;
    private final ProxyStats stats;
    private final String clientAddr;
    private final IdleCheck idle;
    private ByteBuf buffered = Unpooled.buffer(64);
    private boolean greeted; // SOCKS5: the method was agreed
    private boolean done;

    SocksFrontEnd(NetSocket socket, Relays relays, LoopGuard loops, ProxyStats stats) {
        this.client = (NetSocketInternal) socket;
        this.relays = relays;
        this.loops = loops;
        this.stats = stats;
        this.clientAddr = socket.remoteAddress().hostAddress() + ":" + socket.remoteAddress().port();
        this.idle = new IdleCheck(relays.idleTimeout(), client.channelHandlerContext().channel().eventLoop(), this::close);
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
            if (done) {
                return;
            }
            idle.onRead();
            buffered.writeBytes(buf);
        } finally {
            buf.release();
        }
        if (buffered.readableBytes() > MAX_HANDSHAKE) {
            fail(buffered.getByte(buffered.readerIndex()) == 4 ? socks4(false) : socks5(1, null), "handshake too long");
            return;
        }
        int version = buffered.getUnsignedByte(buffered.readerIndex());
        if (version == 4) {
            socks4();
        } else if (version == 5) {
            socks5();
        } else {
            fail(null, "not SOCKS version 4 or 5: " + version);
        }
    }

    private void socks4() {
        ByteBuf b = buffered;
        int at = b.readerIndex();
        if (b.readableBytes() < 9) {
            return;
        }
        int command = b.getUnsignedByte(at + 1);
        int port = b.getUnsignedShort(at + 2);
        byte[] ip = new byte[4];
        b.getBytes(at + 4, ip);
        int userEnd = b.indexOf(at + 8, b.writerIndex(), (byte) 0);
        if (userEnd < 0) {
            return; // more to come (bounded by MAX_HANDSHAKE)
        }
        String host;
        int end = userEnd + 1;
        if (ip[0] == 0 && ip[1] == 0 && ip[2] == 0 && ip[3] != 0) { // SOCKS4a: the name follows
            int nameEnd = b.indexOf(end, b.writerIndex(), (byte) 0);
            if (nameEnd < 0) {
                return;
            }
            host = b.toString(end, nameEnd - end, StandardCharsets.US_ASCII);
            end = nameEnd + 1;
            if (host.isEmpty() || host.length() > 255 || !Authority.validHost(host)) {
                fail(socks4(false), "bad SOCKS4a host name");
                return;
            }
        } else {
            host = address(ip);
        }
        b.readerIndex(end);
        if (command != 1) {
            notSupported(socks4(false), "SOCKS4 command " + command);
            return;
        }
        connect(host, port, (outcome, local) -> socks4(outcome == Route.Outcome.CONNECTED), socks4(false));
    }

    private void socks5() {
        ByteBuf b = buffered;
        if (!greeted) {
            if (b.readableBytes() < 2 || b.readableBytes() < 2 + b.getUnsignedByte(b.readerIndex() + 1)) {
                return;
            }
            int n = b.getUnsignedByte(b.readerIndex() + 1);
            boolean noAuth = b.indexOf(b.readerIndex() + 2, b.readerIndex() + 2 + n, (byte) 0) >= 0;
            b.skipBytes(2 + n);
            if (!noAuth) {
                fail(Buffer.buffer(new byte[] {5, (byte) 0xFF}), "SOCKS5 client offers no method without authentication");
                return;
            }
            greeted = true;
            client.write(Buffer.buffer(new byte[] {5, 0}));
            if (!b.isReadable()) {
                return;
            }
        }
        int at = b.readerIndex();
        if (b.readableBytes() < 5) {
            return;
        }
        if (b.getUnsignedByte(at) != 5) {
            fail(socks5(1, null), "SOCKS5 request of another version");
            return;
        }
        int command = b.getUnsignedByte(at + 1);
        int type = b.getUnsignedByte(at + 3);
        int addrLength = switch (type) {
            case 1 -> 4;
            case 3 -> 1 + b.getUnsignedByte(at + 4);
            case 4 -> 16;
            default -> -1;
        };
        if (addrLength < 0) {
            notSupported(socks5(8, null), "SOCKS5 address type " + type);
            return;
        }
        if (b.readableBytes() < 4 + addrLength + 2) {
            return;
        }
        String host;
        if (type == 3) {
            host = b.toString(at + 5, addrLength - 1, StandardCharsets.US_ASCII);
            if (host.isEmpty() || !Authority.validHost(host)) {
                fail(socks5(1, null), "bad SOCKS5 host name");
                return;
            }
        } else {
            byte[] ip = new byte[addrLength];
            b.getBytes(at + 4, ip);
            host = address(ip);
        }
        int port = b.getUnsignedShort(at + 4 + addrLength);
        b.readerIndex(at + 4 + addrLength + 2);
        if (command != 1) {
            notSupported(socks5(7, null), "SOCKS5 command " + command);
            return;
        }
        connect(host, port, (outcome, local) -> socks5(switch (outcome) {
            case CONNECTED -> 0;
            case UNREACHABLE -> 4; // host unreachable
            case REFUSED -> 2; // not allowed by ruleset
        }, local), socks5(2, null));
    }

    private void connect(String host, int port, java.util.function.BiFunction<Route.Outcome, SocketAddress, Buffer> replies,
            Buffer loopRefusal) {
        String hostPort = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        if (port == 0) {
            fail(replies.apply(Route.Outcome.UNREACHABLE, null), "port 0");
            return;
        }
        if (loops.isSelf(host, port)) {
            refuseLoop(hostPort, loopRefusal);
            return;
        }
        done = true;
        idle.stop();
        List<Object> early = buffered.isReadable() ? List.of(buffered.retainedSlice()) : List.of();
        buffered.release();
        buffered = Unpooled.EMPTY_BUFFER;
        Route route = new TunnelRoute(host, port, loops, (outcome, local) -> {
            stats.count(ProxyProtocol.SOCKS, switch (outcome) {
                case CONNECTED -> Outcome.TUNNEL;
                case UNREACHABLE -> Outcome.UNREACHABLE;
                case REFUSED -> Outcome.LOOP_REFUSED;
            });
            return replies.apply(outcome, local);
        }, () -> LOG.warnf("Refused a proxy request to goproxy itself", LogFields.of("remoteAddr", clientAddr, "addr", hostPort)));
        relays.relay(client, relays.nextCid(), route, early);
    }

    private void refuseLoop(String hostPort, Buffer refusal) {
        LOG.warnf("Refused a proxy request to goproxy itself", LogFields.of("remoteAddr", clientAddr, "addr", hostPort));
        stats.count(ProxyProtocol.SOCKS, Outcome.LOOP_REFUSED);
        answerAndClose(refusal);
    }

    private void notSupported(Buffer refusal, String what) {
        stats.count(ProxyProtocol.SOCKS, Outcome.NOT_SUPPORTED);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("SOCKS request refused", LogFields.of("remoteAddr", clientAddr, "reason", what + " is not supported"));
        }
        answerAndClose(refusal);
    }

    private void fail(Buffer refusal, String why) {
        stats.count(ProxyProtocol.SOCKS, Outcome.BAD_REQUEST);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("SOCKS request refused", LogFields.of("remoteAddr", clientAddr, "reason", why));
        }
        answerAndClose(refusal);
    }

    private void answerAndClose(Buffer refusal) {
        done = true;
        if (refusal == null) {
            close();
        } else {
            client.write(refusal).onComplete(ar -> close());
        }
    }

    private void close() {
        idle.stop();
        if (buffered != Unpooled.EMPTY_BUFFER) {
            buffered.release();
            buffered = Unpooled.EMPTY_BUFFER;
            client.close();
        }
    }

    /** SOCKS4 reply: granted (5A) or rejected (5B); the port and address fields are ignored by clients. */
    private static Buffer socks4(boolean granted) {
        return Buffer.buffer(new byte[] {0, (byte) (granted ? 0x5A : 0x5B), 0, 0, 0, 0, 0, 0});
    }

    /** SOCKS5 reply with {@code code} and goproxy's end of the dialed connection as the bound address. */
    private static Buffer socks5(int code, SocketAddress local) {
        byte[] addr = new byte[4];
        int port = 0;
        if (local != null && local.hostAddress() != null) {
            try {
                addr = InetAddress.getByName(local.hostAddress()).getAddress(); // a literal: no lookup
                port = local.port();
            } catch (UnknownHostException e) {
                // the zero address: clients do not use it for CONNECT
            }
        }
        Buffer out = Buffer.buffer().appendByte((byte) 5).appendByte((byte) code).appendByte((byte) 0)
                .appendByte((byte) (addr.length == 4 ? 1 : 4)).appendBytes(addr).appendUnsignedShort(port);
        return out;
    }

    private static String address(byte[] ip) {
        try {
            InetAddress a = InetAddress.getByAddress(ip);
            return a instanceof Inet4Address ? a.getHostAddress() : a.getHostAddress().replaceFirst("%.*$", "");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // 4 or 16 bytes: cannot happen
        }
    }
}
