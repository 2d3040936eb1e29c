package dev.tapline.goproxy.capture;

import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.ConnectionTap;
import dev.tapline.goproxy.relay.TapFactory;

/** Opens a {@link CaptureTap} on every new connection; all taps feed one {@link CaptureQueue}. */
public final class CaptureTaps implements TapFactory {
    private final CaptureQueue queue;
    private final CaptureStats stats;
    private final SnifferLimits limits;
    private final int wakeEvery;
    private final Runnable wakeUploader;

    /**
     * @param bodyCapBytes body bytes kept per message
     * @param wakeEvery wake the uploader each time this many captures (a full batch) are waiting
     * @param wakeUploader how to wake it (it also wakes by itself every batch delay)
     */
    public CaptureTaps(CaptureQueue queue, CaptureStats stats, int bodyCapBytes, int wakeEvery, Runnable wakeUploader) {
        this.queue = queue;
        this.stats = stats;
        this.limits = new SnifferLimits(bodyCapBytes, SnifferLimits.DEFAULT_MAX_HEADER_BYTES, SnifferLimits.DEFAULT_MAX_HEADERS);
        this.wakeEvery = Math.max(1, wakeEvery);
        this.wakeUploader = wakeUploader;
    }

    @Override
    public ConnectionTap open(ConnectionInfo connection) {
        return new CaptureTap(connection, limits, this::submit, stats);
    }

    void submit(PendingCapture capture) {
        stats.produced.increment();
        if (queue.offer(capture) && queue.size() % wakeEvery == 0) {
            wakeUploader.run();
        }
    }
}
