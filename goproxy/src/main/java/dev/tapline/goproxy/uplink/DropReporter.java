package dev.tapline.goproxy.uplink;

import java.time.Duration;

import org.jboss.logging.Logger;

import dev.tapline.common.log.LogFields;
import dev.tapline.goproxy.capture.CaptureStats;
import dev.tapline.goproxy.outbox.CaptureQueue;

/** Logs dropped captures at most once per interval, with how many since the last line (Envoy-style "N dropped"). */
final class DropReporter {
    private static final Logger LOG = Logger.getLogger(DropReporter.class);

    private final CaptureStats stats;
    private final CaptureQueue queue;
    private long reported;
    private long lastLogNanos = System.nanoTime();

    DropReporter(CaptureStats stats, CaptureQueue queue) {
        this.stats = stats;
        this.queue = queue;
    }

    void maybeLog(Duration interval) {
        long now = System.nanoTime();
        if (now - lastLogNanos < interval.toNanos()) {
            return;
        }
        long total = stats.droppedQueueFull.sum();
        long fresh = total - reported;
        if (fresh > 0) {
            LOG.warnf("Capture queue full: dropped captures (the forwarder is slow or unreachable)",
                    LogFields.of("dropped", fresh, "droppedTotal", total, "reason", "queue_full",
                            "queueBytes", queue.bytes()));
            reported = total;
        }
        lastLogNanos = now;
    }
}
