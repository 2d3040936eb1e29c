package dev.tapline.goproxy.uplink;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The periodic check-in while the link is up, at the interval the forwarder asked for at registration. Each
 * registration restarts it; a failure or a stop cancels it. Used on the link thread only.
 */
final class Heartbeats {
    /** When the forwarder does not say (an older forwarder): its own default. */
    static final long DEFAULT_INTERVAL_MS = 15_000;

    private final ScheduledExecutorService exec;
    private ScheduledFuture<?> beats;

    Heartbeats(ScheduledExecutorService exec) {
        this.exec = exec;
    }

    /** (Re)starts the beats: {@code beat} runs every {@code intervalMs} ({@code <= 0}: the default). */
    void start(long intervalMs, Runnable beat) {
        stop();
        long every = intervalMs > 0 ? intervalMs : DEFAULT_INTERVAL_MS;
        beats = exec.scheduleWithFixedDelay(beat, every, every, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (beats != null) {
            beats.cancel(false);
            beats = null;
        }
    }
}
