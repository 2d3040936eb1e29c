package dev.tapline.goproxy.relay;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import dev.tapline.goproxy.tls.TlsTermination;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

/**
 * One event loop's share of the relay: a {@link NetServer} on the shared listen port (Vert.x spreads accepted
 * connections over the instances) and a {@link NetClient} to the app, so both sockets of a relay live on the same
 * event loop.
 */
final class RelayVerticle extends AbstractVerticle {
    private final RelaySettings settings;
    private final int port;
    private final Acceptor acceptor;
    private final TapFactory taps;
    private final RelayStats stats;
    private final Set<Relay> open;
    private final AtomicLong cids;
    private final BooleanSupplier accepting;
    private final TlsTermination unwrap;
    private final TlsTermination outUnwrap;
    private NetServer server;

    RelayVerticle(RelaySettings settings, int port, Acceptor acceptor, TapFactory taps, RelayStats stats,
            Set<Relay> open, AtomicLong cids, BooleanSupplier accepting, TlsTermination unwrap,
            TlsTermination outUnwrap) {
        this.settings = settings;
        this.port = port;
        this.acceptor = acceptor;
        this.taps = taps;
        this.stats = stats;
        this.open = open;
        this.cids = cids;
        this.accepting = accepting;
        this.unwrap = unwrap;
        this.outUnwrap = outUnwrap;
    }

    @Override
    public void start(Promise<Void> started) {
        // No idle timeout in Vert.x's options: each relay checks IDLE_TIMEOUT itself (IdleCheck), without
        // Netty's IdleStateHandler and the promise it makes per write.
        NetClient client = vertx.createNetClient(new NetClientOptions()
                .setTcpNoDelay(true)
                .setConnectTimeout((int) settings.connectTimeout().toMillis()));
        Relays relays = new Relays(new RelayContext(context, client, taps, stats, open, cids, settings.idleTimeout(),
                unwrap, outUnwrap));
        server = vertx.createNetServer(new NetServerOptions()
                .setHost(settings.listenHost())
                .setPort(port)
                .setTcpNoDelay(true)
                .setAcceptBacklog(4096));
        server.connectHandler(socket -> {
            if (!accepting.getAsBoolean()) {
                socket.close();
                return;
            }
            acceptor.accept(socket, relays);
        });
        server.listen().<Void>mapEmpty().onComplete(started);
    }

    int actualPort() {
        return server.actualPort();
    }
}
