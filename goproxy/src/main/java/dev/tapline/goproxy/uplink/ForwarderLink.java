package dev.tapline.goproxy.uplink;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.HeartbeatResponse;
import dev.tapline.capture.v1.ProxyCounters;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.capture.v1.RegisterResponse;
import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.relay.RelayStats;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.outbox.CaptureBatcher;
import dev.tapline.goproxy.outbox.CaptureQueue;

/**
 * goproxy's connection to the forwarder: connect, register, check in, upload; on any failure reconnect with
 * capped, jittered backoff, forever.
 *
 * <pre>
 *   DOWN ──channel READY──▶ Register ──ok──▶ UP: Heartbeat every interval + Upload stream
 *    ▲                          │ fails          │ Heartbeat answers known=false ⇒ Register again
 *    └────── backoff ◀──────────┴────────────────┘ an RPC or the stream fails
 * </pre>
 *
 * All state lives on one thread, the link's event loop, which is also the gRPC channel's I/O thread: gRPC's
 * callbacks arrive on it and batches are written to the socket from it, so an upload costs no hand-off between
 * threads (the relay's core is shared by everything goproxy does). A generation number makes the callbacks of an
 * abandoned connection attempt harmless.
 */
public final class ForwarderLink {
    private static final Logger LOG = Logger.getLogger(ForwarderLink.class);
    private static final Duration RPC_DEADLINE = Duration.ofSeconds(5);
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

    private final LinkSettings settings;
    private final RelayStats relayStats;
    private final CaptureStats captureStats;
    private final EventLoopGroup loop;
    private final ScheduledExecutorService exec;
    private final ManagedChannel channel;
    private final ForwarderGrpc.ForwarderStub stub;
    private final CaptureBatcher batcher;
    private final Uploader uploader;
    private final DropReporter drops;
    private long generation;
    private int attempt;
    private volatile boolean up;
    private volatile boolean stopping;
    private ScheduledFuture<?> heartbeats;
    private ScheduledFuture<?> ticks;

    public ForwarderLink(LinkSettings settings, CaptureQueue queue, CaptureBatcher batcher, CaptureStats captureStats,
            RelayStats relayStats) {
        this.settings = settings;
        this.batcher = batcher;
        this.relayStats = relayStats;
        this.captureStats = captureStats;
        DefaultThreadFactory threads = new DefaultThreadFactory("forwarder-link", true);
        boolean epoll = Epoll.isAvailable();
        this.loop = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        this.exec = loop.next();
        this.channel = NettyChannelBuilder.forTarget(settings.forwarderAddr())
                .eventLoopGroup(loop)
                .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .usePlaintext()
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                // callbacks come on the link's own loop: no need for gRPC's executor in between
                .directExecutor()
                .build();
        ForwarderGrpc.ForwarderStub base = ForwarderGrpc.newStub(channel);
        if (settings.token().isPresent()) {
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + settings.token().get());
            base = base.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
        }
        this.stub = base;
        this.uploader = new Uploader(settings.maxUnackedBatches(),
                settings.identity().proxyId().getBytes(java.nio.charset.StandardCharsets.UTF_8), queue, captureStats,
                this::onLinkThread, this::uploadFailed);
        this.drops = new DropReporter(captureStats, queue);
    }

    public void start() {
        exec.execute(this::connect);
        // A batch is sealed at the first tick after it is CAPTURE_BATCH_DELAY old: ticking every quarter of the delay
        // sends it at most a quarter late (ticking every delay let it wait up to twice as long).
        long tick = Math.max(10, settings.batchDelay().toMillis() / 4);
        ticks = exec.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** true while registered and the upload stream is open. */
    public boolean isUp() {
        return up;
    }

    /** Nudges the uploader from any thread, e.g. when a full batch is waiting. */
    public void wake() {
        onLinkThread(uploader::pump);
    }

    /**
     * Runs a task on the link thread (queued, also when called on it: gRPC's callbacks must not re-enter it). Once
     * {@link #stop} has shut the loop down, event loops may still wake it: there is nothing left to do.
     */
    private void onLinkThread(Runnable task) {
        try {
            exec.execute(task);
        } catch (RejectedExecutionException stopped) {
            // stopped: the stream and the queue were already dealt with by stop()
        }
    }

    private void tick() {
        batcher.sealOlderThan(settings.batchDelay().toNanos());
        uploader.pump();
        drops.maybeLog(settings.dropLogInterval());
    }

    private void connect() {
        if (stopping) {
            return;
        }
        long gen = ++generation;
        // our backoff decides when to try: skip gRPC's own (which grows to 2 minutes) so a forwarder that is
        // back is found at the next attempt
        channel.resetConnectBackoff();
        awaitReady(gen, System.nanoTime() + CONNECT_WAIT.toNanos());
    }

    private void awaitReady(long gen, long deadline) {
        if (gen != generation || stopping) {
            return;
        }
        ConnectivityState state = channel.getState(true);
        if (state == ConnectivityState.READY) {
            LOG.infof("Successfully connected to forwarder", LogFields.of("addr", settings.forwarderAddr()));
            register(gen);
        } else if (System.nanoTime() > deadline) {
            retry(gen, "forwarder not reachable (" + state + ")");
        } else {
            exec.schedule(() -> awaitReady(gen, deadline), 50, TimeUnit.MILLISECONDS);
        }
    }

    private void register(long gen) {
        LOG.debugf("Attempting to register with forwarder");
        ProxyIdentityInfo id = settings.identity();
        RegisterRequest request = RegisterRequest.newBuilder()
                .setProxy(ProxyIdentity.newBuilder().setProxyId(id.proxyId()).setAppLabel(id.appLabel())
                        .setPodName(id.podName()).setPodNamespace(id.podNamespace()).setProxyType(id.proxyType())
                        .setVersion(id.version()).setBuildTime(id.buildTime()).setListenAddr(id.listenAddr())
                        .setBackendAddr(id.backendAddr()))
                .setSentAtUnixNanos(nowNanos())
                .build();
        stub.withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).register(request,
                onLink(gen, response -> registered(gen, response), error -> registerFailed(gen, error)));
    }

    /**
     * A forwarder that answers but refuses this proxy will not change its mind on a retry: that is a setting to
     * fix, said at ERROR with what to check, not "could not reach". goproxy still retries (the forwarder may be
     * reconfigured), and traffic flows meanwhile.
     */
    private void registerFailed(long gen, Throwable error) {
        String hint = switch (io.grpc.Status.fromThrowable(error).getCode()) {
            case UNAUTHENTICATED, PERMISSION_DENIED -> "FORWARDER_TOKEN must be the forwarder's FORWARDER_TOKEN";
            case INVALID_ARGUMENT -> "the forwarder refused this proxy's identity (APP_POD_NAME, APP_LABEL, ...)";
            default -> null;
        };
        retry(gen, "register failed: " + describe(error), hint);
    }

    private void registered(long gen, RegisterResponse response) {
        attempt = 0;
        boolean wasUp = up;
        up = true;
        LOG.infof("Successfully registered with forwarder", LogFields.of("proxyID", settings.identity().proxyId(),
                "cluster", response.getClusterName(), "forwarderVersion", response.getForwarderVersion()));
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        long every = response.getHeartbeatIntervalMs() > 0 ? response.getHeartbeatIntervalMs() : 15_000;
        heartbeats = exec.scheduleWithFixedDelay(() -> heartbeat(gen), every, every, TimeUnit.MILLISECONDS);
        if (!wasUp || !uploader.isOpen()) {
            uploader.open(stub.getChannel(), stub.getCallOptions(), gen);
        }
    }

    private void heartbeat(long gen) {
        if (gen != generation) {
            return;
        }
        HeartbeatRequest request = HeartbeatRequest.newBuilder().setProxyId(settings.identity().proxyId())
                .setCounters(counters()).setSentAtUnixNanos(nowNanos()).build();
        stub.withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).heartbeat(request,
                onLink(gen, (HeartbeatResponse response) -> {
                    if (!response.getKnown()) {
                        LOG.infof("Forwarder does not know this proxy (reaped?), registering again",
                                LogFields.of("proxyID", settings.identity().proxyId()));
                        register(gen);
                    }
                }, error -> retry(gen, "check-in failed: " + describe(error))));
    }

    private void uploadFailed(long gen, Throwable error) {
        retry(gen, "upload stream failed: " + describe(error));
    }

    private void retry(long gen, String reason) {
        retry(gen, reason, null);
    }

    /** The link failed: tear down this generation and try again after a backoff; {@code refusal}: what to fix. */
    private void retry(long gen, String reason, String refusal) {
        if (gen != generation || stopping) {
            return;
        }
        generation++;
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
        uploader.close();
        long backoff = backoffMillis(attempt++);
        if (refusal != null) {
            LOG.errorf("Forwarder refused to register this proxy, retrying", LogFields.of("addr",
                    settings.forwarderAddr(), "error", reason, "check", refusal, "retryInMs", backoff));
        } else if (up) {
            LOG.warnf("Lost connection to forwarder, reconnecting", LogFields.of("addr", settings.forwarderAddr(),
                    "error", reason, "retryInMs", backoff));
        } else {
            LOG.warnf("Could not reach forwarder, retrying", LogFields.of("addr", settings.forwarderAddr(),
                    "error", reason, "retryInMs", backoff));
        }
        up = false;
        exec.schedule(this::connect, backoff, TimeUnit.MILLISECONDS);
    }

    private long backoffMillis(int n) {
        long cap = settings.maxBackoff().toMillis();
        long base = Math.min(cap, 100L << Math.min(n, 20));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    ProxyCounters counters() {
        return ProxyCounters.newBuilder()
                .setConnectionsTotal(relayStats.connectionsTotal.sum())
                .setConnectionsActive(Math.max(0, relayStats.connectionsActive.get()))
                .setBytesClientToApp(relayStats.bytesClientToApp.sum())
                .setBytesAppToClient(relayStats.bytesAppToClient.sum())
                .setCapturesProduced(captureStats.produced.sum())
                .setCapturesAcked(captureStats.acked.sum())
                .setCapturesDropped(captureStats.droppedTotal())
                .setDecoderGiveUps(captureStats.decoderGiveUps.sum())
                .setAppConnectFailures(relayStats.appConnectFailures.sum())
                .build();
    }

    /**
     * Stops the link: sends what is queued for up to {@code flushTimeout}, counts the rest as dropped, closes the
     * channel.
     */
    public void stop(Duration flushTimeout) throws InterruptedException {
        long deadline = System.nanoTime() + flushTimeout.toNanos();
        while (System.nanoTime() < deadline && !exec.isShutdown()) {
            boolean drained;
            try {
                drained = exec.submit(() -> {
                    batcher.sealOlderThan(0);
                    uploader.pump();
                    return uploader.drained();
                }).get();
            } catch (java.util.concurrent.ExecutionException e) {
                break;
            }
            if (drained) {
                break;
            }
            Thread.sleep(20);
        }
        stopping = true;
        try {
            exec.submit(() -> {
                if (heartbeats != null) {
                    heartbeats.cancel(false);
                }
                long lost = uploader.abandon();
                if (lost > 0) {
                    LOG.warnf("Dropped captures at shutdown: the forwarder did not take them in time",
                            LogFields.of("dropped", lost, "flushTimeout", flushTimeout.toString()));
                }
                drops.maybeLog(Duration.ZERO);
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // shutting down anyway
        }
        if (ticks != null) {
            ticks.cancel(false);
        }
        // the channel first: its last callbacks run on the loop and find the link stopping
        channel.shutdownNow();
        channel.awaitTermination(2, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
    }

    private <T> StreamObserver<T> onLink(long gen, java.util.function.Consumer<T> onValue,
            java.util.function.Consumer<Throwable> onError) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                onLinkThread(() -> {
                    if (gen == generation) {
                        onValue.accept(value);
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
                onLinkThread(() -> onError.accept(t));
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    static String describe(Throwable error) {
        io.grpc.Status status = io.grpc.Status.fromThrowable(error);
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }

    private static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
