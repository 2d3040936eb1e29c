package dev.tapline.forwarder.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.capture.v1.UploadBatch;

/**
 * Batches of captures like the ones goproxy uploads in deploy/bench: wrk's GET through goproxy to nginx, answered
 * 200 with nginx's headers and a 13-byte body; ids in goproxy's {@code <proxy>-<boot nonce>-<counter>} form, 100
 * exchanges per keep-alive connection.
 */
final class WrkCaptures {
    private final String proxyId;
    private final String idPrefix;
    private final Capture template;
    private long next;
    private long nextBatchId;

    static final byte[] SMALL_BODY = "Hello, world\n".getBytes(StandardCharsets.US_ASCII);

    /** @param bodyBytes 13: nginx's "Hello, world\n"; any other size: that many random bytes (as /static/64k.bin) */
    WrkCaptures(String proxyId, int bodyBytes) {
        this.proxyId = proxyId;
        this.idPrefix = proxyId + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
        this.template = template(proxyId, body(bodyBytes));
    }

    private static byte[] body(int size) {
        if (size == SMALL_BODY.length) {
            return SMALL_BODY;
        }
        byte[] random = new byte[size];
        ThreadLocalRandom.current().nextBytes(random);
        return random;
    }

    /** The next {@code size} captures, as one batch. */
    UploadBatch batch(int size) {
        UploadBatch.Builder batch = UploadBatch.newBuilder().setBatchId(nextBatchId++).setProxyId(proxyId);
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < size; i++, next++) {
            batch.addCaptures(template.toBuilder().setId(idPrefix + next).setCid(next / 100).setSequence(next % 100)
                    .setClientAddr("127.0.0.1:" + (40_000 + next / 100 % 20_000))
                    .setRequestStartUnixNanos(now + i).setResponseEndUnixNanos(now + i + 180_000));
        }
        return batch.build();
    }

    private static Capture template(String proxyId, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder().setMethod("GET").setTarget("/").setVersion("HTTP/1.1")
                .addHeaders(header("Host", "127.0.0.1:15004"))
                .addHeaders(header("User-Agent", "wrk/4.1.0"))
                .addHeaders(header("Accept", "*/*"))
                .addHeaders(header("X-Bench-Run", "small-r1-goproxy"))
                .build();
        HttpResponse response = HttpResponse.newBuilder().setStatusCode(200).setReason("OK").setVersion("HTTP/1.1")
                .addHeaders(header("Server", "nginx/1.22.1"))
                .addHeaders(header("Date", "Thu, 26 Nov 2026 07:07:31 GMT"))
                .addHeaders(header("Content-Type", body == SMALL_BODY ? "text/plain" : "application/octet-stream"))
                .addHeaders(header("Content-Length", String.valueOf(body.length)))
                .addHeaders(header("Last-Modified", "Thu, 26 Nov 2026 06:58:02 GMT"))
                .addHeaders(header("Connection", "keep-alive"))
                .addHeaders(header("ETag", "\"6745724a-d\""))
                .addHeaders(header("Accept-Ranges", "bytes"))
                .setBody(ByteString.copyFrom(body)).setBodySize(body.length)
                .build();
        return Capture.newBuilder().setProxyId(proxyId)
                .setProtocol(L7Protocol.L7_PROTOCOL_HTTP1).setDirection(Direction.DIRECTION_INBOUND)
                .setBackendAddr("127.0.0.1:15080")
                .setHttp(HttpExchange.newBuilder().setRequest(request).setResponse(response))
                .build();
    }

    private static Header header(String name, String value) {
        return Header.newBuilder().setName(name).setValue(value).build();
    }
}
