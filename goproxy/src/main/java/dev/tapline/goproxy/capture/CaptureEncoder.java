package dev.tapline.goproxy.capture;

import java.util.List;

import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.goproxy.capture.http2.Http2StreamRecord;
import dev.tapline.goproxy.relay.ConnectionInfo;

/**
 * Encodes one capture as an {@code UploadBatch.captures} entry (tapline/capture/v1/forwarder.proto), straight
 * into the batch's bytes: the same bytes protobuf-java's {@code Capture} would give, without building it.
 *
 * <p>Field numbers are those of the .proto; {@code CaptureEncoderTest} checks every one of them against the
 * generated classes.
 */
final class CaptureEncoder {
    /** UploadBatch.captures */
    static final int BATCH_CAPTURES = 3;

    private final CaptureIds ids;

    CaptureEncoder(CaptureIds ids) {
        this.ids = ids;
    }

    void http(ProtoWriter w, ConnectionInfo connection, HttpExchangeRecord exchange) {
        exchange(w, connection, exchange, L7Protocol.L7_PROTOCOL_HTTP1, null);
    }

    /** One HTTP/2 stream: an HttpExchange with its Http2Stream and the request's authority and scheme. */
    void http2(ProtoWriter w, ConnectionInfo connection, Http2StreamRecord stream) {
        exchange(w, connection, stream.exchange(),
                stream.grpc() ? L7Protocol.L7_PROTOCOL_GRPC : L7Protocol.L7_PROTOCOL_HTTP2, stream);
    }

    private void exchange(ProtoWriter w, ConnectionInfo connection, HttpExchangeRecord exchange, L7Protocol protocol,
            Http2StreamRecord h2) {
        HttpRequestRecord request = exchange.request();
        HttpResponseRecord response = exchange.response();
        // length slots sized from the bodies and heads, so that a large body is not moved to widen one
        long requestHint = sizeHint(request.target(), request.headers(), request.bodyArray(), request.trailers());
        long responseHint = response == null ? 0
                : sizeHint(response.reason(), response.headers(), response.bodyArray(), response.trailers());
        long httpHint = requestHint + responseHint + 16;
        int capture = w.beginMessage(BATCH_CAPTURES, httpHint + 128);
        head(w, connection, exchange.sequence(), protocol, exchange.requestStartNanos(), exchange.responseEndNanos());
        int http = w.beginMessage(11, httpHint); // Capture.http
        request(w, request, requestHint, h2);
        if (response != null) {
            response(w, response, responseHint);
        }
        w.boolField(3, exchange.responseMissing() || response == null);
        w.boolField(4, exchange.decoderGaveUp());
        w.boolField(5, exchange.upgraded());
        for (ResponseHead interim : exchange.interimResponses()) {
            int m = w.beginMessage(6);
            w.varintField(1, interim.statusCode());
            w.stringField(2, interim.reason());
            headers(w, 3, interim.headers());
            w.endMessage(m);
        }
        if (h2 != null) {
            http2Stream(w, h2);
        }
        w.endMessage(http);
        w.endMessage(capture);
    }

    /** HttpExchange.http2: Http2Stream. */
    private static void http2Stream(ProtoWriter w, Http2StreamRecord s) {
        int m = w.beginMessage(7);
        w.varintField(1, s.streamId());
        w.boolField(2, s.reset());
        w.varintField(3, s.resetErrorCode());
        w.boolField(4, s.resetByApp());
        w.boolField(5, s.incomplete());
        w.boolField(6, s.pushed());
        w.varintField(7, s.promisedOnStreamId());
        w.endMessage(m);
    }

    void connection(ProtoWriter w, ConnectionCapture summary) {
        int capture = w.beginMessage(BATCH_CAPTURES);
        L7Protocol protocol = ConnectionCapture.toProto(summary.detected());
        head(w, summary.connection(), 0, protocol, summary.startUnixNanos(), summary.endUnixNanos());
        int m = w.beginMessage(12); // Capture.connection
        w.varintField(1, protocol.getNumber());
        w.varintField(2, summary.bytesClientToApp());
        w.varintField(3, summary.bytesAppToClient());
        w.varintField(4, summary.durationNanos());
        w.endMessage(m);
        w.endMessage(capture);
    }

    /** Capture fields 1-10. */
    private void head(ProtoWriter w, ConnectionInfo connection, long sequence, L7Protocol protocol, long start, long end) {
        ids.writeNext(w, 1);
        byte[] proxyId = ids.proxyId();
        w.bytesField(2, proxyId, 0, proxyId.length);
        w.varintField(3, connection.cid());
        w.varintField(4, sequence);
        w.varintField(5, protocol.getNumber());
        w.varintField(6, Direction.DIRECTION_INBOUND.getNumber());
        w.stringField(7, connection.clientAddr());
        w.stringField(8, connection.directAddr());
        w.varintField(9, start);
        w.varintField(10, end);
    }

    /** HttpExchange.request: HttpRequest. */
    private static void request(ProtoWriter w, HttpRequestRecord r, long sizeHint, Http2StreamRecord h2) {
        int m = w.beginMessage(1, sizeHint);
        w.stringField(1, r.method());
        w.stringField(2, r.target());
        w.stringField(3, r.version());
        headersAndBody(w, r.headers(), r.bodyArray(), r.bodySize(), r.bodyTruncated(), r.trailers());
        if (h2 != null) {
            w.stringField(9, h2.authority());
            w.stringField(10, h2.scheme());
        }
        w.endMessage(m);
    }

    /** HttpExchange.response: HttpResponse. */
    private static void response(ProtoWriter w, HttpResponseRecord r, long sizeHint) {
        int m = w.beginMessage(2, sizeHint);
        w.varintField(1, r.statusCode());
        w.stringField(2, r.reason());
        w.stringField(3, r.version());
        headersAndBody(w, r.headers(), r.bodyArray(), r.bodySize(), r.bodyTruncated(), r.trailers());
        w.endMessage(m);
    }

    /** Fields 4-8, numbered alike in HttpRequest and HttpResponse. */
    private static void headersAndBody(ProtoWriter w, List<HttpHeader> headers, byte[] body, long bodySize,
            boolean truncated, List<HttpHeader> trailers) {
        headers(w, 4, headers);
        w.bytesField(5, body, 0, body.length);
        w.varintField(6, bodySize);
        w.boolField(7, truncated);
        headers(w, 8, trailers);
    }

    /**
     * About the encoded size of a request or response message: exact enough to pick the width of its length (a
     * wrong guess only costs moving the bytes).
     */
    private static long sizeHint(String text, List<HttpHeader> headers, byte[] body, List<HttpHeader> trailers) {
        return 32 + text.length() + sizeHint(headers) + body.length + sizeHint(trailers);
    }

    private static long sizeHint(List<HttpHeader> fields) {
        if (fields instanceof HeaderBlock block) {
            return block.sizeHint();
        }
        long n = 0;
        for (int i = 0, size = fields.size(); i < size; i++) {
            n += 6 + fields.get(i).name().length() + fields.get(i).value().length();
        }
        return n;
    }

    /** Repeated Header {name = 1, value = 2}. */
    private static void headers(ProtoWriter w, int field, List<HttpHeader> headers) {
        if (headers instanceof HeaderBlock block) {
            block.writeTo(w, field); // straight from the received bytes
            return;
        }
        for (int i = 0, n = headers.size(); i < n; i++) {
            HttpHeader h = headers.get(i);
            int m = w.beginMessage(field);
            w.stringField(1, h.name());
            w.stringField(2, h.value());
            w.endMessage(m);
        }
    }
}
