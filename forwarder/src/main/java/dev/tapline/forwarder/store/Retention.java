package dev.tapline.forwarder.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Which captures go: those older than RETENTION_AGE, then the oldest while the store is larger than
 * RETENTION_BYTES. Works in steps of at most {@code chunk} deletions so that writes go on between steps
 * ({@link RetentionScheduler} runs one step at a time on the writer thread).
 */
public final class Retention {
    private final RetentionTarget target;
    private final Clock clock;
    private final Duration maxAge;
    private final long maxBytes;
    private final int chunk;

    /** What one step (or a whole pass) deleted, and whether more is due. */
    public record Step(int byAge, int bySize, boolean more) {
        Step plus(Step next) {
            return new Step(byAge + next.byAge, bySize + next.bySize, next.more);
        }
    }

    /** A zero {@code maxAge} or {@code maxBytes} means no limit of that kind. */
    public Retention(RetentionTarget target, Clock clock, Duration maxAge, long maxBytes, int chunk) {
        this.target = target;
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxBytes = maxBytes;
        this.chunk = chunk;
    }

    public boolean enabled() {
        return !maxAge.isZero() || maxBytes > 0;
    }

    /** Deletes at most {@code chunk} captures: by age first, then by size. */
    public Step step() {
        int byAge = 0;
        if (!maxAge.isZero()) {
            byAge = target.deleteOlderThan(toNanos(clock.instant().minus(maxAge)), chunk);
            if (byAge == chunk) {
                return new Step(byAge, 0, true);
            }
        }
        int bySize = 0;
        if (maxBytes > 0 && target.usedBytes() > maxBytes) {
            bySize = target.deleteOldest(chunk - byAge);
        }
        boolean more = bySize > 0 && target.usedBytes() > maxBytes;
        return new Step(byAge, bySize, more);
    }

    /** Steps until nothing more is due. */
    public Step runToEnd() {
        Step total = new Step(0, 0, true);
        while (total.more()) {
            total = total.plus(step());
        }
        return total;
    }

    static long toNanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
