package dev.tapline.forwarder.index;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ConnectionSummary;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.InterimResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.forwarder.api.CaptureView;

/**
 * The read API's capture JSON (KAFKA_FORMAT=json) back into the contract's Capture, for the indexer's store. The
 * view is the inverse's only source, so what it leaves out is not restored: headers come back grouped by name (the
 * order of names and of each name's values kept, not how different names interleaved), and the request start is
 * the view's {@code ts}. Viewing the result gives the same JSON again.
 */
final class CaptureFromJson {

    private CaptureFromJson() {
    }

    static Capture capture(CaptureView v) {
        long start = nanos(Instant.parse(v.ts()));
        Capture.Builder c = Capture.newBuilder().setId(v.id()).setProxyId(v.proxyId()).setCid(v.cid())
                .setSequence(v.sequence()).setProtocol(protocol(v.l7protocol()))
                .setDirection(Direction.valueOf("DIRECTION_" + v.direction().toUpperCase(Locale.ROOT)))
                .setClientAddr(nullToEmpty(v.clientAddr())).setBackendAddr(nullToEmpty(v.backendAddr()))
                .setRequestStartUnixNanos(start);
        if (v.durationMs() != null) {
            c.setResponseEndUnixNanos(start + Math.round(v.durationMs() * 1e6));
        }
        List<String> flags = v.flags() == null ? List.of() : v.flags();
        if (v.http() != null) {
            c.setHttp(http(v.http(), flags));
        }
        if (v.connection() != null) {
            CaptureView.Connection s = v.connection();
            c.setConnection(ConnectionSummary.newBuilder().setDetected(protocol(s.detected()))
                    .setBytesClientToApp(s.bytesClientToApp()).setBytesAppToClient(s.bytesAppToClient())
                    .setDurationNs(Math.round(s.durationMs() * 1e6)));
        }
        return c.build();
    }

    private static HttpExchange http(CaptureView.Http h, List<String> flags) {
        CaptureView.Request q = h.req();
        HttpExchange.Builder x = HttpExchange.newBuilder().setRequest(HttpRequest.newBuilder()
                .setMethod(q.method()).setTarget(q.url()).setVersion(nullToEmpty(q.version()))
                .addAllHeaders(headers(q.headers())).addAllTrailers(headers(q.trailers()))
                .setBody(body(q.bodyBase64())).setBodySize(q.bodySize()).setBodyTruncated(q.truncated()));
        if (h.res() != null) {
            CaptureView.Response r = h.res();
            x.setResponse(HttpResponse.newBuilder().setStatusCode(r.statusCode())
                    .setReason(nullToEmpty(r.statusMessage())).setVersion(nullToEmpty(r.version()))
                    .addAllHeaders(headers(r.headers())).addAllTrailers(headers(r.trailers()))
                    .setBody(body(r.bodyBase64())).setBodySize(r.bodySize()).setBodyTruncated(r.truncated()));
        }
        if (h.interim() != null) {
            for (CaptureView.Interim i : h.interim()) {
                x.addInterimResponses(InterimResponse.newBuilder().setStatusCode(i.statusCode())
                        .setReason(nullToEmpty(i.statusMessage())).addAllHeaders(headers(i.headers())));
            }
        }
        return x.setResponseMissing(flags.contains("response_missing"))
                .setDecoderGaveUp(flags.contains("decoder_gave_up")).setUpgraded(flags.contains("upgraded")).build();
    }

    private static List<Header> headers(Map<String, List<String>> grouped) {
        if (grouped == null) {
            return List.of();
        }
        return grouped.entrySet().stream().flatMap(e -> e.getValue().stream()
                .map(value -> Header.newBuilder().setName(e.getKey()).setValue(value).build())).toList();
    }

    private static ByteString body(String base64) {
        return base64 == null ? ByteString.EMPTY : ByteString.copyFrom(Base64.getDecoder().decode(base64));
    }

    private static L7Protocol protocol(String name) {
        return L7Protocol.valueOf("L7_PROTOCOL_" + name.toUpperCase(Locale.ROOT));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
