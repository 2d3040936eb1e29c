package dev.tapline.forwarder.facets;

/**
 * The figures of one endpoint (app + method + path template) over a time range.
 *
 * @param errors   exchanges answered 5xx or not answered at all
 * @param p50Nanos durations by nearest rank over the exchanges that have one (0 when none has)
 * @param bytes    body bytes both ways, summed
 */
public record EndpointStats(String app, String method, String template, long count, long errors, long p50Nanos,
        long p95Nanos, long p99Nanos, long bytes, long lastSeenNanos) {
}
