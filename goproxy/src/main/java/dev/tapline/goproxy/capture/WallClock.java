package dev.tapline.goproxy.capture;

import java.time.Instant;

/**
 * Unix epoch nanoseconds without allocating: the wall clock read once at start, advanced by
 * {@link System#nanoTime()}. Monotonic, so a response never ends before its request started, even when NTP
 * steps the system clock (the offset stays as it was at start).
 */
public final class WallClock {
    private static final long WALL_AT_START;
    private static final long MONO_AT_START;

    static {
        Instant now = Instant.now();
        MONO_AT_START = System.nanoTime();
        WALL_AT_START = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private WallClock() {
    }

    public static long nowNanos() {
        return WALL_AT_START + (System.nanoTime() - MONO_AT_START);
    }
}
