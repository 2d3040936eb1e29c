package dev.tapline.forwarder.facets;

import java.util.Locale;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.HttpExchange;

/**
 * The figures of one capture that the timeline and the endpoints view add up, worked out once at ingest and
 * stored as indexed columns beside the record, so that adding them up never decodes a record.
 *
 * @param direction  "inbound" or "outbound" (null when unspecified)
 * @param protocol   "http1", "http2", "tls" or "tcp" (null when unspecified)
 * @param template   the request path folded by {@link PathTemplate}, null for a connection record
 * @param durationNs first request byte to last response byte, null when the response never came
 * @param bytes      body bytes both ways (HTTP, real sizes even when truncated) or the connection's bytes
 */
public record CaptureFacets(String direction, String protocol, String template, Long durationNs, long bytes) {
    /** For rows stored without facets (before schema 2, and tests that store bare rows). */
    public static final CaptureFacets NONE = new CaptureFacets(null, null, null, null, 0);

    public static CaptureFacets of(Capture c, String path) {
        Long duration = c.getResponseEndUnixNanos() > 0 && c.getRequestStartUnixNanos() > 0
                ? c.getResponseEndUnixNanos() - c.getRequestStartUnixNanos() : null;
        long bytes = 0;
        if (c.hasHttp()) {
            HttpExchange x = c.getHttp();
            bytes = x.getRequest().getBodySize() + (x.hasResponse() ? x.getResponse().getBodySize() : 0);
        } else if (c.hasConnection()) {
            bytes = c.getConnection().getBytesClientToApp() + c.getConnection().getBytesAppToClient();
        }
        return new CaptureFacets(name(c.getDirection().name(), "DIRECTION_"),
                name(c.getProtocol().name(), "L7_PROTOCOL_"), c.hasHttp() ? PathTemplate.of(path) : null, duration,
                bytes);
    }

    /** The enum's name as the read API writes it: "DIRECTION_INBOUND" is "inbound"; UNSPECIFIED is null. */
    private static String name(String enumName, String prefix) {
        String n = enumName.replace(prefix, "").toLowerCase(Locale.ROOT);
        return n.equals("unspecified") || n.equals("unrecognized") ? null : n;
    }
}
