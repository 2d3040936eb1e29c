package dev.tapline.goproxy.relay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * IDLE_TIMEOUT for one relay: once nothing was read from either socket for the timeout, {@code onIdle} runs.
 *
 * <p>What counts is a read: every byte the relay writes was read on the other side first, so no read either way
 * means no traffic either way. This replaces Vert.x's idle timeout (Netty's {@code IdleStateHandler} on each
 * socket), which noted the time of every write through a promise and a listener made for that write alone. One
 * timer per relay, on its event loop: when it fires and finds a read since, it is re-armed for what is left.
 */
public final class IdleCheck {
    private final long timeoutNanos;
    private final EventExecutor loop;
    private final Runnable onIdle;
    private long lastReadNanos;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    /** {@code timeout} zero: never idle. */
    public IdleCheck(Duration timeout, EventExecutor loop, Runnable onIdle) {
        this.timeoutNanos = timeout.toNanos();
        this.loop = loop;
        this.onIdle = onIdle;
    }

    /** Starts the clock; call on the event loop. */
    public void start() {
        lastReadNanos = System.nanoTime();
        if (timeoutNanos > 0 && !stopped) {
            arm(timeoutNanos);
        }
    }

    /** Something was read from one of the sockets. */
    public void onRead() {
        lastReadNanos = System.nanoTime();
    }

    public void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void arm(long delayNanos) {
        timer = loop.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (stopped) {
            return;
        }
        long idle = System.nanoTime() - lastReadNanos;
        if (idle >= timeoutNanos) {
            onIdle.run();
        } else {
            arm(timeoutNanos - idle);
        }
    }
}
