package dev.tapline.goproxy.relay;

import java.util.List;

import io.vertx.core.net.NetSocket;

/**
 * What a listener does with each accepted connection: the reverse proxy relays it to the app at once; the forward
 * proxy's front ends first read what the app asks for (CONNECT, SOCKS, an absolute URL) and then hand it to
 * {@link Relays#relay}.
 */
@FunctionalInterface
public interface Acceptor {

    /** Called on the connection's own (duplicated) context, on its event loop. */
    void accept(NetSocket socket, Relays relays);

    /** The reverse proxy: every connection to the app at {@code host:port}. */
    static Acceptor reverse(String host, int port) {
        Route app = new Route() {
            @Override
            public String host() {
                return host;
            }

            @Override
            public int port() {
                return port;
            }
        };
        return (socket, relays) -> relays.relay(socket, relays.nextCid(), app, List.of());
    }
}
