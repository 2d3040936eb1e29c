package dev.tapline.forwarder.facets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds up exchanges, one {@link #add} each in any order, into {@link EndpointStats} per app + method + template.
 * Durations are kept per endpoint (8 bytes each) and sorted once at the end for exact percentiles: a million
 * exchanges cost 8 MB for the length of one request.
 */
public final class EndpointTally {
    private final Map<Key, Acc> byEndpoint = new HashMap<>();

    private record Key(String app, String method, String template) {
    }

    private static final class Acc {
        long count;
        long errors;
        long bytes;
        long lastSeen = Long.MIN_VALUE;
        long[] durations = new long[16];
        int timed;
    }

    /** One exchange; {@code status} and {@code durationNanos} null when there was no response. */
    public void add(String app, String method, String template, Integer status, Long durationNanos, long bytes,
            long tsNanos) {
        Acc a = byEndpoint.computeIfAbsent(new Key(app, method, template), k -> new Acc());
        a.count++;
        if (status == null || status >= 500) {
            a.errors++;
        }
        a.bytes += bytes;
        a.lastSeen = Math.max(a.lastSeen, tsNanos);
        if (durationNanos != null) {
            if (a.timed == a.durations.length) {
                a.durations = Arrays.copyOf(a.durations, a.timed * 2);
            }
            a.durations[a.timed++] = durationNanos;
        }
    }

    /** The endpoints, most exchanges first (then by app, method, template), at most {@code max}. */
    public List<EndpointStats> result(int max) {
        List<EndpointStats> out = new ArrayList<>(byEndpoint.size());
        for (Map.Entry<Key, Acc> e : byEndpoint.entrySet()) {
            Acc a = e.getValue();
            long[] d = Arrays.copyOf(a.durations, a.timed);
            Arrays.sort(d);
            out.add(new EndpointStats(e.getKey().app(), e.getKey().method(), e.getKey().template(), a.count, a.errors,
                    rank(d, 50), rank(d, 95), rank(d, 99), a.bytes, a.lastSeen));
        }
        out.sort(Comparator.comparingLong(EndpointStats::count).reversed().thenComparing(EndpointStats::app)
                .thenComparing(EndpointStats::method).thenComparing(EndpointStats::template));
        return out.size() > max ? out.subList(0, max) : out;
    }

    /** Nearest rank: the smallest value with at least p % of the values at or below it. */
    static long rank(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int n = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, n - 1)];
    }
}
