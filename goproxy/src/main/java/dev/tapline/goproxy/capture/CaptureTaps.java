package dev.tapline.goproxy.capture;

import java.util.Map;

import dev.tapline.goproxy.relay.ConnectionInfo;
import dev.tapline.goproxy.relay.ConnectionTap;
import dev.tapline.goproxy.relay.TapFactory;

/** Opens a {@link CaptureTap} on every new connection; all taps feed one {@link CaptureSink}. */
public final class CaptureTaps implements TapFactory {
    private final CaptureSink sink;
    private final CaptureStats stats;
    private final Map<DetectedProtocol, DecoderFactory> decoders;

    /** @param decoders the decoder of each protocol that is decoded; the others are counted, not decoded */
    public CaptureTaps(CaptureSink sink, CaptureStats stats, Map<DetectedProtocol, DecoderFactory> decoders) {
        this.sink = sink;
        this.stats = stats;
        this.decoders = Map.copyOf(decoders);
    }

    @Override
    public ConnectionTap open(ConnectionInfo connection) {
        return new CaptureTap(connection, decoders, sink, stats);
    }
}
