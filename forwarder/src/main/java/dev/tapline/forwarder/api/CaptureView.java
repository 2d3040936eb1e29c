package dev.tapline.forwarder.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ConnectionSummary;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.forwarder.grpcview.GrpcCall;
import dev.tapline.forwarder.grpcview.GrpcSchemas;
import dev.tapline.forwarder.grpcview.Http2View;
import dev.tapline.forwarder.store.StoreException;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * One capture as the read API shows it. HTTP exchanges and HTTP/2 streams carry {@code http}, other connections
 * {@code connection}, gRPC calls also {@code grpc} (their messages decoded); headers are grouped by name in wire
 * order, bodies are base64 (as stored, after DLP).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaptureView(String id, String ts, Double durationMs, String direction, String l7protocol,
        String cluster, String appLabel, String podName, String proxyId, long cid, long sequence, String clientAddr,
        String backendAddr, Http http, Connection connection, TlsView tls, GrpcCall grpc, List<String> flags) {

    /**
     * The request and the response (null when it never came); interim answers only when there were some; the
     * stream's facts for HTTP/2.
     */
    public record Http(Request req, @Schema(nullable = true, description = "null when no response was captured")
            Response res, @JsonInclude(JsonInclude.Include.NON_NULL) List<Interim> interim,
            @JsonInclude(JsonInclude.Include.NON_NULL) Http2View http2) {
    }

    /** {@code host} is the Host header, or HTTP/2's :authority; {@code scheme} is HTTP/2's :scheme. */
    public record Request(String method, String url, String version, String host,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) String scheme, Map<String, List<String>> headers,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<String>> trailers, String bodyBase64,
            long bodySize, boolean truncated) {
    }

    public record Response(int statusCode, String statusMessage, String version, Map<String, List<String>> headers,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, List<String>> trailers, String bodyBase64,
            long bodySize, boolean truncated) {
    }

    /** A 1xx answer before the final one. */
    public record Interim(int statusCode, String statusMessage, Map<String, List<String>> headers) {
    }

    public record Connection(String detected, long bytesClientToApp, long bytesAppToClient, double durationMs) {
    }

    /** The capture with gRPC messages decoded without a schema. */
    public static CaptureView of(StoredCapture row) {
        return of(row, GrpcSchemas.NONE);
    }

    /** The capture, with the gRPC messages of the methods {@code schemas} knows decoded with their types. */
    public static CaptureView of(StoredCapture row, GrpcSchemas schemas) {
        Capture c = decode(row);
        Http http = c.hasHttp() ? http(c.getHttp()) : null;
        Connection connection = null;
        if (c.hasConnection()) {
            ConnectionSummary s = c.getConnection();
            connection = new Connection(protocol(s.getDetected().name()), s.getBytesClientToApp(),
                    s.getBytesAppToClient(), s.getDurationNs() / 1e6);
        }
        Double duration = c.getResponseEndUnixNanos() > 0 && c.getRequestStartUnixNanos() > 0
                ? (c.getResponseEndUnixNanos() - c.getRequestStartUnixNanos()) / 1e6 : null;
        return new CaptureView(row.id(), instant(row.tsNanos()).toString(), duration,
                c.getDirection().name().replace("DIRECTION_", "").toLowerCase(Locale.ROOT),
                l7protocol(c), row.cluster(), row.appLabel(), row.podName(), row.proxyId(),
                c.getCid(), c.getSequence(), c.getClientAddr(), c.getBackendAddr(), http, connection, TlsView.of(c),
                GrpcCall.of(c, schemas), flags(c));
    }

    static Capture decode(StoredCapture row) {
        try {
            return Capture.parseFrom(row.record());
        } catch (InvalidProtocolBufferException e) {
            throw new StoreException("capture " + row.id() + " is damaged in the store: " + e.getMessage(), e);
        }
    }

    private static Http http(HttpExchange x) {
        HttpRequest q = x.getRequest();
        Request req = new Request(q.getMethod(), q.getTarget(), q.getVersion(), host(q), q.getScheme(),
                grouped(q.getHeadersList()), grouped(q.getTrailersList()), base64(q.getBody()), q.getBodySize(),
                q.getBodyTruncated());
        Response res = null;
        if (x.hasResponse()) {
            HttpResponse r = x.getResponse();
            res = new Response(r.getStatusCode(), r.getReason(), r.getVersion(), grouped(r.getHeadersList()),
                    grouped(r.getTrailersList()), base64(r.getBody()), r.getBodySize(), r.getBodyTruncated());
        }
        List<Interim> interim = x.getInterimResponsesList().isEmpty() ? null : x.getInterimResponsesList().stream()
                .map(i -> new Interim(i.getStatusCode(), i.getReason(), grouped(i.getHeadersList()))).toList();
        return new Http(req, res, interim, Http2View.of(x));
    }

    /** The Host header, or HTTP/2's :authority (which replaces it, RFC 9113 §8.3.1). */
    static String host(HttpRequest q) {
        String host = firstValue(q.getHeadersList(), "host");
        return host == null && !q.getAuthority().isEmpty() ? q.getAuthority() : host;
    }

    private static List<String> flags(Capture c) {
        List<String> flags = new ArrayList<>();
        if (c.hasHttp()) {
            HttpExchange x = c.getHttp();
            if (x.getResponseMissing() || !x.hasResponse()) {
                flags.add("response_missing");
            }
            if (x.getDecoderGaveUp()) {
                flags.add("decoder_gave_up");
            }
            if (x.getUpgraded()) {
                flags.add("upgraded");
            }
            if (x.getHttp2().getReset()) {
                flags.add("reset");
            }
            if (x.getHttp2().getIncomplete()) {
                flags.add("incomplete");
            }
            if (x.getHttp2().getPushed()) {
                flags.add("pushed");
            }
        }
        return flags;
    }

    static Map<String, List<String>> grouped(List<Header> headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Header h : headers) {
            out.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
        }
        return out;
    }

    static String firstValue(List<Header> headers, String name) {
        for (Header h : headers) {
            if (h.getName().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    private static String base64(ByteString body) {
        return Base64.getEncoder().encodeToString(body.toByteArray());
    }

    /** The capture's {@code l7protocol} as the JSON names it ("http1", "grpc", ...). */
    public static String l7protocol(Capture c) {
        return protocol(c.getProtocol().name());
    }

    private static String protocol(String enumName) {
        return enumName.replace("L7_PROTOCOL_", "").toLowerCase(Locale.ROOT);
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(0, nanos);
    }
}
