package dev.tapline.goproxy.capture.http1;

/**
 * Memory bounds of one {@link HttpSniffer}. Together they cap what a connection can make the
 * sniffer hold: one incomplete head per direction, the kept body bytes of the messages in
 * flight, and the queue of requests still waiting for their response.
 *
 * @param bodyCapBytes           body bytes kept per message; the rest is only counted
 * @param maxHeaderBytes         most bytes of a start line plus all header lines of one message
 *                               (also bounds a trailer section and a chunk-size line)
 * @param maxHeaders             most header fields in one message (also bounds trailers)
 * @param maxOutstandingRequests most requests decoded but not yet emitted (pipelining depth)
 */
public record SnifferLimits(int bodyCapBytes, int maxHeaderBytes, int maxHeaders, int maxOutstandingRequests) {

    public static final int DEFAULT_BODY_CAP_BYTES = 65_536;
    public static final int DEFAULT_MAX_HEADER_BYTES = 65_536;
    public static final int DEFAULT_MAX_HEADERS = 200;
    public static final int DEFAULT_MAX_OUTSTANDING_REQUESTS = 64;

    private static final SnifferLimits DEFAULTS = new SnifferLimits(
            DEFAULT_BODY_CAP_BYTES, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADERS, DEFAULT_MAX_OUTSTANDING_REQUESTS);

    public SnifferLimits {
        if (bodyCapBytes < 0) {
            throw new IllegalArgumentException("bodyCapBytes must be >= 0: " + bodyCapBytes);
        }
        if (maxHeaderBytes < 16) {
            throw new IllegalArgumentException("maxHeaderBytes must be >= 16: " + maxHeaderBytes);
        }
        if (maxHeaders < 1) {
            throw new IllegalArgumentException("maxHeaders must be >= 1: " + maxHeaders);
        }
        if (maxOutstandingRequests < 1) {
            throw new IllegalArgumentException("maxOutstandingRequests must be >= 1: " + maxOutstandingRequests);
        }
    }

    /** Limits with the default pipelining depth of {@value #DEFAULT_MAX_OUTSTANDING_REQUESTS}. */
    public SnifferLimits(int bodyCapBytes, int maxHeaderBytes, int maxHeaders) {
        this(bodyCapBytes, maxHeaderBytes, maxHeaders, DEFAULT_MAX_OUTSTANDING_REQUESTS);
    }

    /** 64 KiB bodies, 64 KiB heads, 200 headers, 64 outstanding requests. */
    public static SnifferLimits defaults() {
        return DEFAULTS;
    }
}
