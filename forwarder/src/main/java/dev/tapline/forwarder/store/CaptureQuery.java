package dev.tapline.forwarder.store;

import java.util.Optional;

/**
 * A search of the stored captures, newest first. Every filter is optional; all given ones must match.
 *
 * @param app         APP_LABEL, exact
 * @param proxyId     proxy id, exact
 * @param method      request method, exact (upper case)
 * @param statusFrom  lowest response status, inclusive (with {@code statusTo}: one code or a class such as 200-299)
 * @param statusTo    highest response status, inclusive
 * @param pathPart    a substring of the request path (without the query)
 * @param sinceNanos  start time at or after, Unix epoch nanoseconds
 * @param untilNanos  start time before, Unix epoch nanoseconds
 * @param limit       how many at most, 1 or more
 * @param direction   "inbound" or "outbound", exact
 * @param protocol    "http1", "http2", "tls" or "tcp", exact
 * @param template    the endpoint's path template (see {@code PathTemplate}), exact
 * @param text        bytes somewhere in the stored record: URL, a header or a body (after DLP), case-sensitive
 */
public record CaptureQuery(Optional<String> app, Optional<String> proxyId, Optional<String> method,
        Optional<Integer> statusFrom, Optional<Integer> statusTo, Optional<String> pathPart,
        Optional<Long> sinceNanos, Optional<Long> untilNanos, int limit, Optional<String> direction,
        Optional<String> protocol, Optional<String> template, Optional<String> text) {

    /** The filters the first version of the API had; the others unset. */
    public CaptureQuery(Optional<String> app, Optional<String> proxyId, Optional<String> method,
            Optional<Integer> statusFrom, Optional<Integer> statusTo, Optional<String> pathPart,
            Optional<Long> sinceNanos, Optional<Long> untilNanos, int limit) {
        this(app, proxyId, method, statusFrom, statusTo, pathPart, sinceNanos, untilNanos, limit, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The newest {@code limit} captures, unfiltered. */
    public static CaptureQuery newest(int limit) {
        return new CaptureQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public CaptureQuery withApp(String appLabel) {
        return new CaptureQuery(Optional.of(appLabel), proxyId, method, statusFrom, statusTo, pathPart, sinceNanos,
                untilNanos, limit, direction, protocol, template, text);
    }

    /** The same filters over another time range. */
    public CaptureQuery between(long since, long until) {
        return new CaptureQuery(app, proxyId, method, statusFrom, statusTo, pathPart, Optional.of(since),
                Optional.of(until), limit, direction, protocol, template, text);
    }
}
