package dev.tapline.goproxy.uplink;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * At shutdown: keep sealing and sending, on the link thread, until everything queued was acknowledged or the flush
 * timeout passed. Called from the stopping thread, which waits.
 */
final class ShutdownDrain {
    /** Between two looks at the acks: short against a flush timeout of seconds, long enough not to busy the loop. */
    private static final long PAUSE_MILLIS = 20;

    private ShutdownDrain() {
    }

    /** Runs {@code sendSome} (true once drained) on {@code exec} until it answers true or {@code deadlineNanos}. */
    static void sendUntil(ScheduledExecutorService exec, long deadlineNanos, Callable<Boolean> sendSome)
            throws InterruptedException {
        while (System.nanoTime() < deadlineNanos && !exec.isShutdown()) {
            boolean drained;
            try {
                drained = exec.submit(sendSome).get();
            } catch (ExecutionException e) {
                return;
            }
            if (drained) {
                return;
            }
            Thread.sleep(PAUSE_MILLIS);
        }
    }
}
