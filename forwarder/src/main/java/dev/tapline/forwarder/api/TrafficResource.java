package dev.tapline.forwarder.api;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import dev.tapline.forwarder.facets.EndpointStats;
import dev.tapline.forwarder.store.CaptureQuery;
import dev.tapline.forwarder.store.TrafficStats;
import dev.tapline.forwarder.store.TrafficStats.StatusClass;

/**
 * Figures over the captures the search filters select, for the Analyzer's timeline and endpoints view:
 *
 * <pre>
 *   GET /api/v1/timeline?(filters)&amp;buckets=60    captures per interval and status class, since..until
 *   GET /api/v1/endpoints?(filters)                one row per app + method + path template, busiest first
 * </pre>
 *
 * Without since/until both cover the last hour up to now. The store adds up ({@link TrafficStats}); here only
 * the range, the interval and the JSON shape.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class TrafficResource {
    static final int DEFAULT_BUCKETS = 60;
    static final int MAX_BUCKETS = 1000;
    static final int MAX_ENDPOINTS = 1000;

    @Inject
    TrafficStats stats;
    @Inject
    Clock clock;

    /** Interval starts (Unix epoch milliseconds) and, per status class, the captures in each interval. */
    public record TimelineView(String since, String until, long stepMs, List<Long> starts, List<Long> s2xx,
            List<Long> s3xx, List<Long> s4xx, List<Long> s5xx, List<Long> other) {
    }

    /** One endpoint; durations in milliseconds, errors are 5xx answers and exchanges without one. */
    public record EndpointView(String app, String method, String template, long count, long errors,
            double errorPercent, double p50Ms, double p95Ms, double p99Ms, long bytes, String lastSeen) {

        static EndpointView of(EndpointStats e) {
            return new EndpointView(e.app(), e.method(), e.template(), e.count(), e.errors(),
                    Math.round(1000.0 * e.errors() / e.count()) / 10.0, e.p50Nanos() / 1e6, e.p95Nanos() / 1e6,
                    e.p99Nanos() / 1e6, e.bytes(), CaptureView.instant(e.lastSeenNanos()).toString());
        }
    }

    @GET
    @Path("timeline")
    public TimelineView timeline(@Context UriInfo uri) {
        Map<String, List<String>> params = new HashMap<>(uri.getQueryParameters());
        int buckets = TimeRange.buckets(params, DEFAULT_BUCKETS, MAX_BUCKETS);
        CaptureQuery query = CaptureFilter.parse(params);
        TimeRange range = TimeRange.of(query, clock);
        long step = range.stepNanos(buckets);
        long since = range.alignedSince(step);
        int n = (int) ((range.untilNanos() - since + step - 1) / step);
        // the grid may start before since and end after until; the query keeps to since..until
        long[][] counts = stats.timeline(query.between(range.sinceNanos(), range.untilNanos()), since, step, n);
        List<Long> starts = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            starts.add((since + b * step) / 1_000_000L);
        }
        return new TimelineView(CaptureView.instant(range.sinceNanos()).toString(),
                CaptureView.instant(range.untilNanos()).toString(), step / 1_000_000L, starts,
                list(counts[StatusClass.S2XX.ordinal()]), list(counts[StatusClass.S3XX.ordinal()]),
                list(counts[StatusClass.S4XX.ordinal()]), list(counts[StatusClass.S5XX.ordinal()]),
                list(counts[StatusClass.OTHER.ordinal()]));
    }

    @GET
    @Path("endpoints")
    public List<EndpointView> endpoints(@Context UriInfo uri) {
        CaptureQuery query = CaptureFilter.parse(uri.getQueryParameters());
        TimeRange range = TimeRange.of(query, clock);
        return stats.endpoints(query.between(range.sinceNanos(), range.untilNanos()), MAX_ENDPOINTS).stream()
                .map(EndpointView::of).toList();
    }

    private static List<Long> list(long[] values) {
        List<Long> out = new ArrayList<>(values.length);
        for (long v : values) {
            out.add(v);
        }
        return out;
    }
}
