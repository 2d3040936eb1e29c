package dev.tapline.forwarder.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ConnectionSummary;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.capture.v1.UploadBatch;

/** Capture records and batches for tests: a plausible exchange unless a test changes what it is about. */
public final class Captures {
    /** An hour ago, whole seconds: recent enough that retention (7 days by default) keeps it. */
    public static final long T0 = (System.currentTimeMillis() / 1000 - 3600) * 1_000_000_000L;

    private Captures() {
    }

    /** A unique suffix, so tests sharing a store never see each other's records. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** GET {@code target} answered 200 with a small JSON body, starting at {@code T0}. */
    public static Capture.Builder http(String id, String proxyId, String target) {
        return exchange(id, proxyId, "GET", target, 200, "{\"ok\":true}".getBytes(StandardCharsets.UTF_8));
    }

    public static Capture.Builder exchange(String id, String proxyId, String method, String target, int status,
            byte[] responseBody) {
        HttpRequest request = HttpRequest.newBuilder().setMethod(method).setTarget(target).setVersion("HTTP/1.1")
                .addHeaders(header("Host", "shop.example:8080")).addHeaders(header("Accept", "application/json"))
                .build();
        HttpResponse response = HttpResponse.newBuilder().setStatusCode(status).setReason(reason(status))
                .setVersion("HTTP/1.1").addHeaders(header("Content-Type", "application/json"))
                .setBody(ByteString.copyFrom(responseBody)).setBodySize(responseBody.length).build();
        return Capture.newBuilder().setId(id).setProxyId(proxyId).setCid(7).setSequence(0)
                .setProtocol(L7Protocol.L7_PROTOCOL_HTTP1).setDirection(Direction.DIRECTION_INBOUND)
                .setClientAddr("10.0.0.9:50123").setBackendAddr("localhost:5000")
                .setRequestStartUnixNanos(T0).setResponseEndUnixNanos(T0 + 3_500_000)
                .setHttp(HttpExchange.newBuilder().setRequest(request).setResponse(response));
    }

    /** An exchange of about 1 KiB, as in the benchmark. */
    public static Capture.Builder kib(String id, String proxyId, long startNanos) {
        byte[] body = new byte[700];
        Arrays.fill(body, (byte) 'x');
        return exchange(id, proxyId, "GET", "/orders/" + id + "?page=2", 200, body).setRequestStartUnixNanos(startNanos)
                .setResponseEndUnixNanos(startNanos + 1_000_000);
    }

    /** A TLS connection that was relayed, not decoded. */
    public static Capture.Builder connection(String id, String proxyId) {
        return Capture.newBuilder().setId(id).setProxyId(proxyId).setCid(9)
                .setProtocol(L7Protocol.L7_PROTOCOL_TLS).setDirection(Direction.DIRECTION_INBOUND)
                .setClientAddr("10.0.0.9:50124").setBackendAddr("localhost:5000")
                .setRequestStartUnixNanos(T0).setResponseEndUnixNanos(T0 + 2_000_000_000L)
                .setConnection(ConnectionSummary.newBuilder().setDetected(L7Protocol.L7_PROTOCOL_TLS)
                        .setBytesClientToApp(517).setBytesAppToClient(4096).setDurationNs(2_000_000_000L));
    }

    public static Header header(String name, String value) {
        return Header.newBuilder().setName(name).setValue(value).build();
    }

    public static UploadBatch batch(long batchId, String proxyId, List<Capture> captures) {
        return UploadBatch.newBuilder().setBatchId(batchId).setProxyId(proxyId).addAllCaptures(captures).build();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }
}
