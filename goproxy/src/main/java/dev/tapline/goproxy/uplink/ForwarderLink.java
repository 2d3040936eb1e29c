package dev.tapline.goproxy.uplink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.HeartbeatResponse;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.capture.v1.RegisterResponse;
import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.outbox.BatchTimer;
import dev.tapline.goproxy.outbox.CaptureBatcher;
import dev.tapline.goproxy.outbox.CaptureQueue;
import dev.tapline.goproxy.relay.RelayStats;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

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
 * This class is the state machine; its parts are small classes: {@link LinkChannel} (the thread and the gRPC
 * channel), {@link Heartbeats}, {@link Backoff}, {@link Uploader}, {@link ShutdownDrain}, and the outbox's
 * {@link BatchTimer}. All state lives on one thread, the link's ({@link LinkChannel}). A generation number makes the
 * callbacks of an abandoned connection attempt harmless.
 */
public final class ForwarderLink {
    private static final Logger LOG = Logger.getLogger(ForwarderLink.class);
    private static final Duration RPC_DEADLINE = Duration.ofSeconds(5);
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

    private final LinkSettings settings;
    private final LinkChannel link;
    private final ScheduledExecutorService exec;
    private final BatchTimer timer;
    private final Uploader uploader;
    private final DropReporter drops;
    private final Heartbeats heartbeats;
    private final Backoff backoff;
    private final LinkCounters counters;
    private long generation;
    /** The generation waiting for the channel to be READY, or 0: a late state-change callback finds it stale. */
    private long connecting;
    private volatile boolean up;
    private volatile boolean stopping;

    public ForwarderLink(LinkSettings settings, CaptureQueue queue, CaptureBatcher batcher, CaptureStats captureStats,
            RelayStats relayStats) {
        this.settings = settings;
        this.link = new LinkChannel(settings.forwarderAddr(), settings.token());
        this.exec = link.exec();
        this.timer = new BatchTimer(batcher, settings.batchDelay());
        this.uploader = new Uploader(settings.maxUnackedBatches(),
                settings.identity().proxyId().getBytes(StandardCharsets.UTF_8), queue, captureStats,
                link::execute, this::uploadFailed);
        this.drops = new DropReporter(captureStats, queue);
        this.heartbeats = new Heartbeats(exec);
        this.backoff = new Backoff(settings.maxBackoff());
        this.counters = new LinkCounters(relayStats, captureStats);
    }

    public void start() {
        exec.execute(this::connect);
        timer.start(exec, () -> {
            uploader.pump();
            drops.maybeLog(settings.dropLogInterval());
        });
    }

    /** true while registered and the upload stream is open. */
    public boolean isUp() {
        return up;
    }

    /** Nudges the uploader from any thread, e.g. when a full batch is waiting. */
    public void wake() {
        link.execute(uploader::pump);
    }

    private void connect() {
        if (stopping) {
            return;
        }
        long gen = ++generation;
        connecting = gen;
        long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
        // the channel says when its state changes; this one timer only ends a wait that sees no change in time
        exec.schedule(() -> awaitReady(gen, deadline), CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        awaitReady(gen, deadline, link.connect(true));
    }

    private void awaitReady(long gen, long deadline) {
        if (connecting == gen) {
            awaitReady(gen, deadline, link.connect(false));
        }
    }

    private void awaitReady(long gen, long deadline, ConnectivityState state) {
        if (gen != generation || connecting != gen || stopping) {
            return;
        }
        if (state == ConnectivityState.READY) {
            connecting = 0;
            LOG.infof("Successfully connected to forwarder", LogFields.of("addr", settings.forwarderAddr()));
            register(gen);
        } else if (System.nanoTime() - deadline >= 0) {
            connecting = 0;
            retry(gen, "forwarder not reachable (" + state + ")");
        } else {
            link.whenStateLeaves(state, () -> awaitReady(gen, deadline));
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
        link.stub().withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).register(request,
                onLink(gen, response -> registered(gen, response), error -> registerFailed(gen, error)));
    }

    /**
     * A forwarder that answers but refuses this proxy will not change its mind on a retry: that is a setting to
     * fix, said at ERROR with what to check, not "could not reach". goproxy still retries (the forwarder may be
     * reconfigured), and traffic flows meanwhile.
     */
    private void registerFailed(long gen, Throwable error) {
        String hint = switch (Status.fromThrowable(error).getCode()) {
            case UNAUTHENTICATED, PERMISSION_DENIED -> "FORWARDER_TOKEN must be the forwarder's FORWARDER_TOKEN";
            case INVALID_ARGUMENT -> "the forwarder refused this proxy's identity (APP_POD_NAME, APP_LABEL, ...)";
            default -> null;
        };
        retry(gen, "register failed: " + describe(error), hint);
    }

    private void registered(long gen, RegisterResponse response) {
        backoff.reset();
        boolean wasUp = up;
        up = true;
        LOG.infof("Successfully registered with forwarder", LogFields.of("proxyID", settings.identity().proxyId(),
                "cluster", response.getClusterName(), "forwarderVersion", response.getForwarderVersion()));
        heartbeats.start(response.getHeartbeatIntervalMs(), () -> heartbeat(gen));
        if (!wasUp || !uploader.isOpen()) {
            uploader.open(link.stub().getChannel(), link.stub().getCallOptions(), gen);
        }
    }

    private void heartbeat(long gen) {
        if (gen != generation) {
            return;
        }
        HeartbeatRequest request = HeartbeatRequest.newBuilder().setProxyId(settings.identity().proxyId())
                .setCounters(counters.now()).setSentAtUnixNanos(nowNanos()).build();
        link.stub().withDeadlineAfter(RPC_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).heartbeat(request,
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
        heartbeats.stop();
        uploader.close();
        long wait = backoff.nextMillis();
        if (refusal != null) {
            LOG.errorf("Forwarder refused to register this proxy, retrying", LogFields.of("addr",
                    settings.forwarderAddr(), "error", reason, "check", refusal, "retryInMs", wait));
        } else if (up) {
            LOG.warnf("Lost connection to forwarder, reconnecting", LogFields.of("addr", settings.forwarderAddr(),
                    "error", reason, "retryInMs", wait));
        } else {
            LOG.warnf("Could not reach forwarder, retrying", LogFields.of("addr", settings.forwarderAddr(),
                    "error", reason, "retryInMs", wait));
        }
        up = false;
        exec.schedule(this::connect, wait, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the link: sends what is queued for up to {@code flushTimeout}, counts the rest as dropped, closes the
     * channel.
     */
    public void stop(Duration flushTimeout) throws InterruptedException {
        ShutdownDrain.sendUntil(exec, System.nanoTime() + flushTimeout.toNanos(), () -> {
            timer.sealAll();
            uploader.pump();
            return uploader.drained();
        });
        stopping = true;
        try {
            exec.submit(() -> {
                heartbeats.stop();
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
        timer.stop();
        link.shutdown();
    }

    private <T> StreamObserver<T> onLink(long gen, Consumer<T> onValue, Consumer<Throwable> onError) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                link.execute(() -> {
                    if (gen == generation) {
                        onValue.accept(value);
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
                link.execute(() -> onError.accept(t));
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    static String describe(Throwable error) {
        Status status = Status.fromThrowable(error);
        return status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
