package dev.tapline.goproxy.uplink;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The wait before the next connection attempt: doubling from 100 ms up to MAX_BACKOFF, with half of it random so
 * that proxies restarted together do not knock on the forwarder together. Used on the link thread only.
 */
final class Backoff {
    private final Duration max;
    private int attempt;

    Backoff(Duration max) {
        this.max = max;
    }

    /** The wait before the next attempt; each call counts one failed attempt. */
    long nextMillis() {
        long cap = max.toMillis();
        long base = Math.min(cap, 100L << Math.min(attempt++, 20));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    /** The link is up: the next failure starts from the shortest wait again. */
    void reset() {
        attempt = 0;
    }
}
