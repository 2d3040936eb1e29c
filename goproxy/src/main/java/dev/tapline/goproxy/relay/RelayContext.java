package dev.tapline.goproxy.relay;

import java.util.Set;

import io.vertx.core.Context;
import io.vertx.core.net.NetClient;

/** What the relays of one event loop share: the app's address, the client that dials it, taps and counters. */
final class RelayContext {
    final Context context;
    final NetClient netClient;
    final String appHost;
    final int appPort;
    final TapFactory taps;
    final RelayStats stats;
    final Set<Relay> open;

    RelayContext(Context context, NetClient netClient, String appHost, int appPort, TapFactory taps, RelayStats stats,
            Set<Relay> open) {
        this.context = context;
        this.netClient = netClient;
        this.appHost = appHost;
        this.appPort = appPort;
        this.taps = taps;
        this.stats = stats;
        this.open = open;
    }
}
