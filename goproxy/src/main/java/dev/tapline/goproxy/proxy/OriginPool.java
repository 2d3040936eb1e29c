package dev.tapline.goproxy.proxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.util.ReferenceCountUtil;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * The idle origin connections of one app connection, keyed by "host:port" as the app asked: a plain exchange whose
 * response ended by its framing leaves its origin connection here, and the app's next request to the same origin
 * takes it instead of dialling.
 *
 * <p>One app connection sends one request at a time, so it holds at most one idle connection per origin; at most
 * {@value #MAX_IDLE} origins are kept (the longest idle goes first). A connection idle for longer than
 * {@link #MAX_IDLE_TIME} (or IDLE_TIMEOUT, if shorter) is closed instead of reused: that stays under the shortest
 * common origin keep-alive timeouts (Apache httpd and Node.js close after 5 s), so a reused connection rarely
 * meets an origin closing it at the same moment; {@link PlainExchange} retries once on a fresh connection when that
 * happens anyway. An idle connection that the origin closes, or that receives anything, leaves the pool at once.
 * Everything runs on the app connection's event loop; the pool goes with the app connection.
 */
final class OriginPool {
    static final int MAX_IDLE = 8;
    static final Duration MAX_IDLE_TIME = Duration.ofSeconds(4);

    private final long maxIdleNanos;
    private final List<Idle> idle = new ArrayList<>(2);
    private boolean closed;

    private record Idle(String key, NetSocketInternal socket, long sinceNanos) {
    }

    /** {@code idleTimeout}: IDLE_TIMEOUT, zero for never. */
    OriginPool(Duration idleTimeout) {
        Duration bound = idleTimeout.isZero() || idleTimeout.compareTo(MAX_IDLE_TIME) > 0 ? MAX_IDLE_TIME : idleTimeout;
        this.maxIdleNanos = bound.toNanos();
    }

    /** An idle connection to {@code key}, now the caller's (who sets its message, close and exception handlers), or null. */
    NetSocketInternal take(String key) {
        long now = System.nanoTime();
        NetSocketInternal found = null;
        for (int i = idle.size() - 1; i >= 0; i--) {
            Idle e = idle.get(i);
            if (now - e.sinceNanos > maxIdleNanos) {
                idle.remove(i);
                e.socket.close();
            } else if (found == null && e.key.equals(key)) {
                idle.remove(i);
                found = e.socket;
            }
        }
        if (found != null && !found.channelHandlerContext().channel().isActive()) {
            found.close(); // closing, its close not seen yet
            return null;
        }
        return found;
    }

    /** Keeps {@code socket}, whose last response has ended, for the next request to {@code key}. */
    void put(String key, NetSocketInternal socket) {
        if (closed || !socket.channelHandlerContext().channel().isActive()) {
            socket.close();
            return;
        }
        if (idle.size() >= MAX_IDLE) {
            idle.remove(0).socket.close();
        }
        Idle e = new Idle(key, socket, System.nanoTime());
        idle.add(e);
        socket.drainHandler(null);
        // an idle origin has nothing to say: bytes now are a broken exchange or a goodbye (e.g. 408); drop it
        socket.messageHandler(msg -> {
            ReferenceCountUtil.release(msg);
            drop(e);
        });
        socket.closeHandler(v -> idle.remove(e));
        socket.exceptionHandler(err -> drop(e));
        socket.channelHandlerContext().channel().config().setAutoRead(true); // to see the origin's close
    }

    private void drop(Idle e) {
        idle.remove(e);
        e.socket.close();
    }

    /** The app connection is going away, or turned into a tunnel: close every idle connection, keep no more. */
    void close() {
        closed = true;
        for (Idle e : idle) {
            e.socket.close();
        }
        idle.clear();
    }
}
