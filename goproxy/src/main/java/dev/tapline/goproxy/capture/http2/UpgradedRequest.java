package dev.tapline.goproxy.capture.http2;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.HttpRequestRecord;

/**
 * The request of stream 1 on a connection upgraded by {@code Upgrade: h2c}: the HTTP/1.1 request that asked for the
 * upgrade, in its HTTP/2 form.
 *
 * <p>Why HTTP/2 and not HTTP/1.1, although its bytes went as HTTP/1.1: RFC 7540 §3.2 makes that request stream 1 of
 * the HTTP/2 connection (half-closed from the client), and its response comes as HTTP/2. The stream's capture is
 * an HTTP/2 exchange ({@code l7protocol} http2 or grpc, HAR {@code httpVersion} HTTP/2.0 for every stream), so both
 * of its sides say {@code HTTP/2.0}, as on every other stream. The request exactly as sent (version, field case,
 * {@code Upgrade}, {@code HTTP2-Settings}) is not lost: it is the request of the 101 exchange, the HTTP/1 capture
 * just before this stream on the same connection. What would be wrong in an HTTP/2 request goes: the
 * connection-specific fields (RFC 9113 §8.2.2; they were about the HTTP/1.1 connection and the upgrade, and a
 * replay of this stream over HTTP/2 would be refused with them), and field names are lowercase (RFC 9113 §8.2.1).
 * Host stays: it carried the authority, which the stream also gives as {@code :authority}.
 */
final class UpgradedRequest {
    /** The fields RFC 9113 §8.2.2 names as connection-specific, with the upgrade's own (RFC 7540 §3.2.1). */
    private static final Set<String> CONNECTION_SPECIFIC = Set.of("connection", "upgrade", "http2-settings",
            "keep-alive", "proxy-connection", "transfer-encoding");

    private UpgradedRequest() {
    }

    /** {@code request} as stream 1 carries it: version HTTP/2.0, lowercase names, no connection-specific field. */
    static HttpRequestRecord asStreamOne(HttpRequestRecord request) {
        Set<String> dropped = new HashSet<>(CONNECTION_SPECIFIC);
        for (HttpHeader h : request.headers()) {
            if (h.name().equalsIgnoreCase("connection")) { // and the fields it names (RFC 9110 §7.6.1)
                for (String option : h.value().split(",")) {
                    dropped.add(option.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        List<HttpHeader> fields = new ArrayList<>(request.headers().size());
        for (HttpHeader h : request.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            boolean teOtherThanTrailers = name.equals("te") && !h.value().trim().equalsIgnoreCase("trailers");
            if (!dropped.contains(name) && !teOtherThanTrailers) { // TE may only say "trailers" in HTTP/2
                fields.add(new HttpHeader(name, h.value()));
            }
        }
        List<HttpHeader> trailers = new ArrayList<>(request.trailers().size());
        for (HttpHeader h : request.trailers()) {
            trailers.add(new HttpHeader(h.name().toLowerCase(Locale.ROOT), h.value()));
        }
        return new HttpRequestRecord(request.method(), request.target(), StreamState.VERSION, fields,
                request.content(), trailers, request.complete());
    }
}
