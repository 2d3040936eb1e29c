package dev.tapline.goproxy.capture;

import java.util.Objects;

/**
 * One HTTP/2 stream as a capture: the request and response as an {@link HttpExchangeRecord} (version
 * {@code HTTP/2.0}, target = {@code :path}, regular fields only in the headers) plus what HTTP/1 has no word for.
 *
 * @param streamId           the stream identifier
 * @param authority          the request's {@code :authority}, "" when absent
 * @param scheme             the request's {@code :scheme}, "" when absent
 * @param exchange           request, response (null when none was seen), interim answers, timestamps;
 *                           {@code sequence} counts the connection's captured streams from 0
 * @param reset              an RST_STREAM ended the stream
 * @param resetErrorCode     its error code (RFC 9113 §7), 0 when not reset
 * @param resetByApp         the app sent the RST_STREAM (else the client did)
 * @param incomplete         the connection ended, or decoding stopped, before the stream was done
 * @param pushed             a server push: the request is the one of the PUSH_PROMISE
 * @param promisedOnStreamId the stream that carried the PUSH_PROMISE, 0 when not pushed
 */
public record Http2StreamRecord(int streamId, String authority, String scheme, HttpExchangeRecord exchange,
        boolean reset, long resetErrorCode, boolean resetByApp, boolean incomplete, boolean pushed,
        int promisedOnStreamId) {

    public Http2StreamRecord {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(exchange, "exchange");
    }

    /** A gRPC call: the request's content-type is {@code application/grpc} or one of its {@code +proto} kinds. */
    public boolean grpc() {
        String type = exchange.request().header("content-type");
        return type != null && type.regionMatches(true, 0, "application/grpc", 0, "application/grpc".length());
    }
}
