package dev.tapline.forwarder.api;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.tapline.forwarder.store.CaptureQuery;

/**
 * The time range the figures cover: the query's since/until, or the last hour up to now for what is not given.
 * The timeline cuts it into intervals of a round length (1 s, 5 s, 1 min, ...) starting at a multiple of it, so
 * that bars line up with clock times whatever range is asked.
 */
record TimeRange(long sinceNanos, long untilNanos) {
    static final long HOUR = 3_600_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long[] STEPS_MS = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000,
            30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000,
            21_600_000, 43_200_000, 86_400_000 };

    static TimeRange of(CaptureQuery q, Clock clock) {
        Instant now = clock.instant();
        long until = q.untilNanos().orElse(now.getEpochSecond() * 1_000_000_000L + now.getNano() + 1);
        long since = q.sinceNanos().orElse(until - HOUR);
        if (since >= until) {
            throw new BadParameterException("since", "since must be earlier than until (until defaults to now)");
        }
        return new TimeRange(since, until);
    }

    /** The round interval length that cuts this range into at most about {@code buckets} intervals. */
    long stepNanos(int buckets) {
        long raw = Math.max(1, (untilNanos - sinceNanos + buckets - 1) / buckets);
        for (long stepMs : STEPS_MS) {
            if (stepMs * MS >= raw) {
                return stepMs * MS;
            }
        }
        long day = STEPS_MS[STEPS_MS.length - 1] * MS;
        return (raw + day - 1) / day * day;
    }

    /** The first interval's start: since, down to a multiple of the step. */
    long alignedSince(long step) {
        return Math.floorDiv(sinceNanos, step) * step;
    }

    /** The buckets= parameter, taken out of the filters (which do not know it). */
    static int buckets(Map<String, List<String>> params, int fallback, int max) {
        List<String> v = params.remove("buckets");
        if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get(0));
            if (v.size() == 1 && n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameterException("buckets", "buckets must be one number 1-" + max + ", got " + String.join(",", v));
    }
}
