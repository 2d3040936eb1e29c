package dev.tapline.goproxy.capture;

import java.time.Instant;

/** Unix epoch nanoseconds from the system clock (microsecond resolution on Linux). */
public final class WallClock {
    private WallClock() {
    }

    public static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
