package dev.tapline.goproxy.proxy;

import java.util.function.BiFunction;

import dev.tapline.goproxy.relay.Route;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

/**
 * A CONNECT or SOCKS tunnel to what the app asked for: an outbound route whose answers to the app are the front
 * end's (HTTP status lines or SOCKS reply codes), refused when it leads back to goproxy.
 */
final class TunnelRoute implements Route {
    private final String host;
    private final int port;
    private final LoopGuard loops;
    private final BiFunction<Outcome, SocketAddress, Buffer> replies;
    private final Runnable onLoop;

    TunnelRoute(String host, int port, LoopGuard loops, BiFunction<Outcome, SocketAddress, Buffer> replies,
            Runnable onLoop) {
        this.host = host;
        this.port = port;
        this.loops = loops;
        this.replies = replies;
        this.onLoop = onLoop;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean outbound() {
        return true;
    }

    @Override
    public boolean refuse(SocketAddress remote) {
        if (loops.isSelf(remote)) {
            onLoop.run();
            return true;
        }
        return false;
    }

    @Override
    public Buffer reply(Outcome outcome, SocketAddress local) {
        return replies.apply(outcome, local);
    }
}
