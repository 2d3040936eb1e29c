package dev.tapline.goproxy.capture;

import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.ConnectionTap;
import dev.tapline.goproxy.relay.TapFactory;

/** Opens a {@link CaptureTap} on every new connection; all taps feed one {@link CaptureBatcher}. */
public final class CaptureTaps implements TapFactory {
    private final CaptureSink sink;
    private final CaptureStats stats;
    private final SnifferLimits limits;

    /** @param bodyCapBytes body bytes kept per message */
    public CaptureTaps(CaptureBatcher sink, CaptureStats stats, int bodyCapBytes) {
        this.sink = sink;
        this.stats = stats;
        this.limits = new SnifferLimits(bodyCapBytes, SnifferLimits.DEFAULT_MAX_HEADER_BYTES, SnifferLimits.DEFAULT_MAX_HEADERS);
    }

    @Override
    public ConnectionTap open(ConnectionInfo connection) {
        return new CaptureTap(connection, limits, sink, stats);
    }
}
