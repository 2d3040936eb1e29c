package dev.tapline.goproxy.relay;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The relay's counters, written on the hot path with {@link LongAdder}s and read by metrics and check-ins. */
public final class RelayStats {
    public final LongAdder connectionsTotal = new LongAdder();
    public final AtomicLong connectionsActive = new AtomicLong();
    public final LongAdder bytesClientToApp = new LongAdder();
    public final LongAdder bytesAppToClient = new LongAdder();
    public final LongAdder appConnectFailures = new LongAdder();

    LongAdder bytes(Direction direction) {
        return direction == Direction.CLIENT_TO_APP ? bytesClientToApp : bytesAppToClient;
    }
}
