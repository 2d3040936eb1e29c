package dev.tapline.goproxy.relay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.tapline.goproxy.tls.TlsTermination;
import dev.tapline.goproxy.tls.TlsUnwrap;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The relay as a whole: deploys one {@link RelayVerticle} per event loop, all on the same port, and drains open
 * connections at shutdown.
 */
public final class RelayServer {
    private final Vertx vertx;
    private final RelaySettings settings;
    private final Acceptor acceptor;
    private final TapFactory taps;
    private final RelayStats stats;
    private final TlsTermination unwrap;
    private final TlsTermination outUnwrap;
    private final Set<Relay> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong cids;
    private final List<String> deployments = new ArrayList<>();
    private volatile boolean accepting = true;
    private volatile int port = -1;

    /** The reverse proxy: every connection relayed to the app of {@code settings}. */
    public RelayServer(Vertx vertx, RelaySettings settings, TapFactory taps, RelayStats stats) {
        this(vertx, settings, taps, stats, null);
    }

    /** The reverse proxy with TLS_IN_UNWRAP; {@code unwrap} null: relay TLS as it is. */
    public RelayServer(Vertx vertx, RelaySettings settings, TapFactory taps, RelayStats stats, TlsUnwrap unwrap) {
        this(vertx, settings, Acceptor.reverse(settings.appHost(), settings.appPort()), taps, stats, new AtomicLong(),
                unwrap);
    }

    /**
     * A listener on {@code settings}' host and port whose connections go to {@code acceptor}; {@code cids} may be
     * shared with another listener of the same process so that connection ids stay unique. No TLS unwrap: the
     * forward proxy records the app's outbound TLS as a TLS connection (the ClientHello's facts only).
     */
    public RelayServer(Vertx vertx, RelaySettings settings, Acceptor acceptor, TapFactory taps, RelayStats stats,
            AtomicLong cids) {
        this(vertx, settings, acceptor, taps, stats, cids, null);
    }

    /** As above, with TLS_IN_UNWRAP for a listener whose clients call the app ({@code unwrap} null: off). */
    public RelayServer(Vertx vertx, RelaySettings settings, Acceptor acceptor, TapFactory taps, RelayStats stats,
            AtomicLong cids, TlsUnwrap unwrap) {
        this(vertx, settings, acceptor, taps, stats, cids, unwrap, null);
    }

    /**
     * As above, with TLS_IN_UNWRAP ({@code unwrap}) for connections to the app and TLS_OUT_UNWRAP ({@code outUnwrap})
     * for the tunnels of a forward proxy's front end; null: off.
     */
    public RelayServer(Vertx vertx, RelaySettings settings, Acceptor acceptor, TapFactory taps, RelayStats stats,
            AtomicLong cids, TlsTermination unwrap, TlsTermination outUnwrap) {
        this.unwrap = unwrap;
        this.outUnwrap = outUnwrap;
        this.vertx = vertx;
        this.settings = settings;
        this.acceptor = acceptor;
        this.cids = cids;
        this.taps = taps;
        this.stats = stats;
    }

    /** Starts listening on all event loops; with port 0 they share one free port (Vert.x: a negative port). */
    public void start(Duration timeout) throws Exception {
        int listenPort = settings.listenPort() == 0 ? -1 : settings.listenPort();
        List<RelayVerticle> instances = new CopyOnWriteArrayList<>();
        deployments.add(await(vertx.deployVerticle(() -> {
            RelayVerticle v = verticle(listenPort);
            instances.add(v);
            return v;
        }, new DeploymentOptions().setInstances(settings.eventLoops())), timeout));
        port = instances.get(0).actualPort();
    }

    private RelayVerticle verticle(int listenPort) {
        return new RelayVerticle(settings, listenPort, acceptor, taps, stats, open, cids, () -> accepting, unwrap,
                outUnwrap);
    }

    /** The port clients connect to, or -1 before {@link #start}. */
    public int port() {
        return port;
    }

    public boolean listening() {
        return port > 0 && accepting;
    }

    public int openConnections() {
        return open.size();
    }

    /** The relays open now (tests look at their sockets). */
    List<Relay> openRelays() {
        return List.copyOf(open);
    }

    /**
     * Stops taking new connections, waits up to {@code timeout} for the open ones to end by themselves, then
     * closes what is left and the listeners.
     */
    public void drain(Duration timeout) throws InterruptedException {
        accepting = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List.copyOf(open).forEach(Relay::closeFromAnyThread);
        for (String id : deployments) {
            try {
                await(vertx.undeploy(id), Duration.ofSeconds(5));
            } catch (Exception e) {
                // shutting down anyway
            }
        }
        deployments.clear();
        port = -1;
    }

    private static <T> T await(Future<T> future, Duration timeout) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
