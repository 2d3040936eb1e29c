package dev.tapline.goproxy.relay;

import java.time.Duration;
import java.util.List;

import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * One event loop's relay, as an {@link Acceptor} sees it: start a relay on a route, or borrow its parts (the dialing
 * client, the taps, connection ids) for a front end that relays by itself.
 */
public final class Relays {
    private final RelayContext ctx;

    Relays(RelayContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Dials {@code route} and relays {@code client} to it both ways, with capture. {@code early}: what the front end
     * read past its handshake, sent first; the relay takes ownership.
     */
    public void relay(NetSocket client, long cid, Route route, List<Object> early) {
        new Relay(ctx, client, cid, route, early).start();
    }

    /** The next connection id, counting from 0 in accept order. */
    public long nextCid() {
        return ctx.cids.getAndIncrement();
    }

    /** Dials on this event loop (TCP_NODELAY, the connect timeout). */
    public NetClient dialer() {
        return ctx.netClient;
    }

    public TapFactory taps() {
        return ctx.taps;
    }

    public RelayStats stats() {
        return ctx.stats;
    }

    /** IDLE_TIMEOUT; zero: never. */
    public Duration idleTimeout() {
        return ctx.idleTimeout;
    }
}
