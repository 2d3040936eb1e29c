package dev.tapline.goproxy.capture.http1;

import java.util.function.LongSupplier;

/**
 * The time of the bytes being decoded in one direction: the wall clock read at most once per fed chunk, and only
 * when a captured exchange needs a time. The bytes of a dropped exchange need none.
 *
 * <p>Why: the clock was read for every chunk before anything was known of the bytes in it, and a dropped exchange
 * (the capture queue full, goproxy under load) should cost as little as its framing needs.
 */
final class ChunkClock {
    private final LongSupplier wallClockNanos;
    private long nanos;
    private boolean read;

    ChunkClock(LongSupplier wallClockNanos) {
        this.wallClockNanos = wallClockNanos;
    }

    /** A new chunk arrived now. */
    void nextChunk() {
        read = false;
    }

    /** Bytes that arrived at {@code arrivedNanos} (held ones, fed later) are decoded next. */
    void fix(long arrivedNanos) {
        nanos = arrivedNanos;
        read = true;
    }

    /** When the current chunk arrived: the clock is read on the first call for the chunk. */
    long now() {
        if (!read) {
            nanos = wallClockNanos.getAsLong();
            read = true;
        }
        return nanos;
    }
}
