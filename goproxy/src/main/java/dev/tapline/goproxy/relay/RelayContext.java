package dev.tapline.goproxy.relay;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Context;
import dev.tapline.goproxy.tls.TlsTermination;
import io.vertx.core.net.NetClient;

/**
 * What the relays of one event loop share: the client that dials, taps, counters, connection ids and the idle
 * timeout.
 */
final class RelayContext {
    final Context context;
    final NetClient netClient;
    final TapFactory taps;
    final RelayStats stats;
    final Set<Relay> open;
    final AtomicLong cids;
    /** IDLE_TIMEOUT (zero: never), checked by each relay's {@link IdleCheck}. */
    final Duration idleTimeout;
    /** TLS_IN_UNWRAP (for clients calling the app), or null when off. */
    final TlsTermination unwrap;
    /** TLS_OUT_UNWRAP (for the app's tunnels through the forward proxy), or null when off. */
    final TlsTermination outUnwrap;

    RelayContext(Context context, NetClient netClient, TapFactory taps, RelayStats stats, Set<Relay> open,
            AtomicLong cids, Duration idleTimeout, TlsTermination unwrap, TlsTermination outUnwrap) {
        this.context = context;
        this.netClient = netClient;
        this.taps = taps;
        this.stats = stats;
        this.open = open;
        this.cids = cids;
        this.idleTimeout = idleTimeout;
        this.unwrap = unwrap;
        this.outUnwrap = outUnwrap;
    }
}
