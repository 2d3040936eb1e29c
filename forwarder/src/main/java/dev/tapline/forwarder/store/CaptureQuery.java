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
 * @param direction   the capture's Direction number (1 inbound, 2 outbound)
 */
public record CaptureQuery(Optional<String> app, Optional<String> proxyId, Optional<String> method,
        Optional<Integer> statusFrom, Optional<Integer> statusTo, Optional<String> pathPart,
        Optional<Long> sinceNanos, Optional<Long> untilNanos, int limit, Optional<Integer> direction) {

    /** A search of both directions. */
    public CaptureQuery(Optional<String> app, Optional<String> proxyId, Optional<String> method,
            Optional<Integer> statusFrom, Optional<Integer> statusTo, Optional<String> pathPart,
            Optional<Long> sinceNanos, Optional<Long> untilNanos, int limit) {
        this(app, proxyId, method, statusFrom, statusTo, pathPart, sinceNanos, untilNanos, limit, Optional.empty());
    }

    /** The newest {@code limit} captures, unfiltered. */
    public static CaptureQuery newest(int limit) {
        return new CaptureQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public CaptureQuery withApp(String appLabel) {
        return new CaptureQuery(Optional.of(appLabel), proxyId, method, statusFrom, statusTo, pathPart, sinceNanos,
                untilNanos, limit, direction);
    }
}
