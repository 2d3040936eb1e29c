package dev.tapline.goproxy.relay;

import java.time.Duration;
import java.util.Set;

import io.vertx.core.Context;
import dev.tapline.goproxy.tls.TlsUnwrap;
import io.vertx.core.net.NetClient;

/**
 * What the relays of one event loop share: the app's address, the client that dials it, taps, counters and the idle
 * timeout.
 */
final class RelayContext {
    final Context context;
    final NetClient netClient;
    final String appHost;
    final int appPort;
    final TapFactory taps;
    final RelayStats stats;
    final Set<Relay> open;
    /** IDLE_TIMEOUT (zero: never), checked by each relay's {@link IdleCheck}. */
    final Duration idleTimeout;
    /** TLS_IN_UNWRAP, or null when off. */
    final TlsUnwrap unwrap;

    RelayContext(Context context, NetClient netClient, String appHost, int appPort, TapFactory taps, RelayStats stats,
            Set<Relay> open, Duration idleTimeout, TlsUnwrap unwrap) {
        this.context = context;
        this.netClient = netClient;
        this.appHost = appHost;
        this.appPort = appPort;
        this.taps = taps;
        this.stats = stats;
        this.open = open;
        this.idleTimeout = idleTimeout;
        this.unwrap = unwrap;
    }
}
