package dev.tapline.forwarder.store;

import java.util.List;

import dev.tapline.forwarder.facets.EndpointStats;

/**
 * Figures over the captures a {@link CaptureQuery} selects (its limit aside), added up by the store: how many per
 * time interval and status class (the Analyzer's timeline), and per endpoint (its endpoints view).
 */
public interface TrafficStats {

    /**
     * Captures per interval and status class: {@code counts[k][b]} is how many of class {@code k} (see
     * {@link StatusClass}) the query selects that started in {@code [start + b * step, start + (b + 1) * step)}.
     */
    long[][] timeline(CaptureQuery query, long startNanos, long stepNanos, int buckets);

    /** One row per app + method + path template of the HTTP captures the query selects, by count, at most {@code max}. */
    List<EndpointStats> endpoints(CaptureQuery query, int max);

    /** The status classes of the timeline, in the order of its rows. */
    enum StatusClass {
        S2XX, S3XX, S4XX, S5XX, OTHER;

        /** 2xx..5xx by the hundreds; anything else (no response, 1xx, a connection record) is OTHER. */
        public static int of(Integer status) {
            return status == null || status < 200 || status > 599 ? OTHER.ordinal() : status / 100 - 2;
        }
    }
}
