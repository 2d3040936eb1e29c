package dev.tapline.forwarder.api;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.forwarder.http.RequestTarget;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * Captures as a HAR 1.2 document (http://www.softwareishard.com/blog/har-12-spec/), the format browser devtools
 * import. HTTP exchanges only: connection records have no HAR form. Every field the spec requires is written,
 * with its "unknown" value where the capture does not know it ({@code headersSize: -1}, {@code status: 0} for a
 * response that never came). Only the total duration is known, so it goes to {@code timings.wait}.
 */
public final class HarDocument {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private HarDocument() {
    }

    /** Writes the document, one entry at a time as {@code rows} yields them: only one is ever built in memory. */
    public static void write(JsonGenerator g, Iterable<StoredCapture> rows, String creatorVersion) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("log");
        g.writeStringField("version", "1.2");
        g.writeObjectFieldStart("creator");
        g.writeStringField("name", "Tapline forwarder");
        g.writeStringField("version", creatorVersion);
        g.writeEndObject();
        g.writeArrayFieldStart("entries");
        for (StoredCapture row : rows) {
            Capture c = CaptureView.decode(row);
            if (c.hasHttp()) {
                g.writeTree(entry(row, c));
            }
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static ObjectNode entry(StoredCapture row, Capture c) {
        HttpExchange x = c.getHttp();
        double time = c.getResponseEndUnixNanos() > 0 && c.getRequestStartUnixNanos() > 0
                ? (c.getResponseEndUnixNanos() - c.getRequestStartUnixNanos()) / 1e6 : 0;
        ObjectNode e = JSON.objectNode();
        e.put("startedDateTime", DateTimeFormatter.ISO_INSTANT.format(
                CaptureView.instant(row.tsNanos()).truncatedTo(ChronoUnit.MILLIS)));
        e.put("time", time);
        TlsView tls = TlsView.of(c);
        e.set("request", request(x.getRequest(), c.getBackendAddr(), tls != null && tls.unwrapped()));
        e.set("response", response(x));
        e.putObject("cache");
        e.putObject("timings").put("send", 0).put("wait", time).put("receive", 0);
        e.put("connection", Long.toString(c.getCid()));
        e.put("comment", "capture " + row.id() + " by " + row.proxyId());
        // a custom field (HAR 1.2 allows those starting with "_"): inbound, or outbound for the app's own calls
        e.put("_direction", c.getDirection().name().replace("DIRECTION_", "").toLowerCase(java.util.Locale.ROOT));
        if (tls != null) {
            e.set("_tls", tls.toHar());
        }
        return e;
    }

    private static ObjectNode request(HttpRequest q, String backendAddr, boolean overTls) {
        ObjectNode r = JSON.objectNode();
        r.put("method", q.getMethod());
        r.put("url", absoluteUrl(q, backendAddr, overTls));
        r.put("httpVersion", q.getVersion());
        r.putArray("cookies");
        r.set("headers", headers(q.getHeadersList()));
        ArrayNode query = r.putArray("queryString");
        for (String[] pair : pairs(RequestTarget.query(q.getTarget()))) {
            query.addObject().put("name", pair[0]).put("value", pair[1]);
        }
        if (!q.getBody().isEmpty()) {
            String mime = mime(q.getHeadersList());
            ObjectNode post = r.putObject("postData").put("mimeType", mime);
            ArrayNode params = post.putArray("params");
            String text = utf8(q.getBody());
            if (mime.startsWith("application/x-www-form-urlencoded") && text != null) {
                for (String[] pair : pairs(text)) {
                    params.addObject().put("name", pair[0]).put("value", pair[1]);
                }
            }
            putText(post, q.getBody(), text);
        }
        r.put("headersSize", -1);
        r.put("bodySize", q.getBodySize());
        return r;
    }

    private static ObjectNode response(HttpExchange x) {
        ObjectNode r = JSON.objectNode();
        HttpResponse s = x.hasResponse() ? x.getResponse() : HttpResponse.getDefaultInstance();
        r.put("status", s.getStatusCode());
        r.put("statusText", s.getReason());
        r.put("httpVersion", s.getVersion());
        r.putArray("cookies");
        r.set("headers", headers(s.getHeadersList()));
        ObjectNode content = r.putObject("content").put("size", s.getBodySize()).put("mimeType", mime(s.getHeadersList()));
        if (!s.getBody().isEmpty()) {
            putText(content, s.getBody(), utf8(s.getBody()));
        }
        if (s.getBodyTruncated()) {
            content.put("comment", "truncated: " + s.getBody().size() + " of " + s.getBodySize() + " bytes captured");
        }
        r.put("redirectURL", firstValueOrEmpty(s.getHeadersList(), "location"));
        r.put("headersSize", -1);
        r.put("bodySize", x.hasResponse() ? s.getBodySize() : -1);
        return r;
    }

    /**
     * {@code <scheme>://<Host><target>} (HTTP/2: {@code :scheme}, {@code :authority}; HTTP/1: http, or https when
     * goproxy unwrapped the client's TLS, and Host); the target as sent when it already is absolute.
     */
    static String absoluteUrl(HttpRequest q, String backendAddr, boolean overTls) {
        if (RequestTarget.isAbsolute(q.getTarget())) {
            return q.getTarget();
        }
        String host = CaptureView.host(q);
        String scheme = !q.getScheme().isEmpty() ? q.getScheme() : overTls ? "https" : "http";
        return scheme + "://" + (host == null || host.isEmpty() ? backendAddr : host) + q.getTarget();
    }

    private static ArrayNode headers(List<Header> headers) {
        ArrayNode out = JSON.arrayNode();
        for (Header h : headers) {
            out.addObject().put("name", h.getName()).put("value", h.getValue());
        }
        return out;
    }

    private static void putText(ObjectNode node, ByteString body, String text) {
        if (text != null) {
            node.put("text", text);
        } else {
            node.put("text", Base64.getEncoder().encodeToString(body.toByteArray())).put("encoding", "base64");
        }
    }

    private static String mime(List<Header> headers) {
        return firstValueOrEmpty(headers, "content-type");
    }

    private static String firstValueOrEmpty(List<Header> headers, String name) {
        String v = CaptureView.firstValue(headers, name);
        return v == null ? "" : v;
    }

    /** The body as text when it is valid UTF-8, else null. */
    private static String utf8(ByteString body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static List<String[]> pairs(String encoded) {
        if (encoded.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(encoded.split("&")).filter(p -> !p.isEmpty()).map(p -> {
            int eq = p.indexOf('=');
            return new String[] { decode(eq < 0 ? p : p.substring(0, eq)), eq < 0 ? "" : decode(p.substring(eq + 1)) };
        }).toList();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
