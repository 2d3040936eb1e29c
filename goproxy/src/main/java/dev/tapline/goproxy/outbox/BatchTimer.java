package dev.tapline.goproxy.outbox;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Seals the open batches that hold captures older than CAPTURE_BATCH_DELAY, so a quiet proxy still sends what it
 * has. It ticks on the thread its owner gives it (the uplink's), so a batch it seals is handed to the upload on the
 * same thread, without a hand-off.
 */
public final class BatchTimer {
    private final CaptureBatcher batcher;
    private final Duration delay;
    private ScheduledFuture<?> ticks;

    public BatchTimer(CaptureBatcher batcher, Duration delay) {
        this.batcher = batcher;
        this.delay = delay;
    }

    /** Starts ticking on {@code exec}; {@code afterTick} runs after each seal (e.g. to send what was sealed). */
    public void start(ScheduledExecutorService exec, Runnable afterTick) {
        // A batch is sealed at the first tick after it is CAPTURE_BATCH_DELAY old: ticking every quarter of the delay
        // sends it at most a quarter late (ticking every delay let it wait up to twice as long).
        long tick = Math.max(10, delay.toMillis() / 4);
        ticks = exec.scheduleWithFixedDelay(() -> {
            batcher.sealOlderThan(delay.toNanos());
            afterTick.run();
        }, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Seals every open batch whatever its age (at shutdown). */
    public void sealAll() {
        batcher.sealOlderThan(0);
    }

    public void stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
