package dev.tapline.goproxy.relay;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;

/**
 * Where one relay dials and what it tells the client on the way. The reverse proxy has one fixed route (the app);
 * the forward proxy's front ends make one per connection from what the app asked for (CONNECT, SOCKS).
 */
public interface Route {

    /** How the dial of a route ended, for {@link #reply}. */
    enum Outcome {
        /** Connected: the relay starts. */
        CONNECTED,
        /** The destination could not be reached. */
        UNREACHABLE,
        /** Connected, but to goproxy itself (a loop): closed before any byte was relayed. */
        REFUSED
    }

    /** The host to dial, as asked (a name or an address). */
    String host();

    int port();

    /** true: the app calling a dependency through the forward proxy; its captures are outbound. */
    default boolean outbound() {
        return false;
    }

    /** Whether the connected far side must be refused ({@code remote}: its resolved address), e.g. a loop. */
    default boolean refuse(SocketAddress remote) {
        return false;
    }

    /**
     * What the client is told before the relayed bytes (CONNECT's 200, SOCKS's success) or before the close (502,
     * a SOCKS failure code); null: nothing. {@code local}: goproxy's end of the dialed connection, when connected.
     */
    default Buffer reply(Outcome outcome, SocketAddress local) {
        return null;
    }
}
