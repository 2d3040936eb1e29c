package dev.tapline.goproxy.outbox;

import java.util.List;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ConnectionSummary;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.Http2Stream;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.InterimResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.goproxy.capture.ConnectionCapture;
import dev.tapline.goproxy.capture.DetectedProtocol;
import dev.tapline.goproxy.capture.HeaderBlock;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.HttpRequestRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import dev.tapline.goproxy.capture.MessageBody;
import dev.tapline.goproxy.capture.ResponseHead;
import dev.tapline.goproxy.relay.ConnectionInfo;

/**
 * Encodes one capture as an {@code UploadBatch.captures} entry (tapline/capture/v1/forwarder.proto), straight
 * into the batch's bytes: the same bytes protobuf-java's {@code Capture} would give, without building it.
 *
 * <p>Field numbers are the generated classes' {@code *_FIELD_NUMBER} constants, so a renumbered .proto cannot
 * silently diverge; {@code CaptureEncoderTest} parses the output with the generated classes.
 */
final class CaptureEncoder {
    /** HttpRequest and HttpResponse number their shared fields alike; the encoder relies on it. */
    static {
        if (HttpRequest.HEADERS_FIELD_NUMBER != HttpResponse.HEADERS_FIELD_NUMBER
                || HttpRequest.BODY_FIELD_NUMBER != HttpResponse.BODY_FIELD_NUMBER
                || HttpRequest.BODY_SIZE_FIELD_NUMBER != HttpResponse.BODY_SIZE_FIELD_NUMBER
                || HttpRequest.BODY_TRUNCATED_FIELD_NUMBER != HttpResponse.BODY_TRUNCATED_FIELD_NUMBER
                || HttpRequest.TRAILERS_FIELD_NUMBER != HttpResponse.TRAILERS_FIELD_NUMBER
                || HttpRequest.VERSION_FIELD_NUMBER != HttpResponse.VERSION_FIELD_NUMBER) {
            throw new ExceptionInInitializerError("HttpRequest and HttpResponse number their body fields differently");
        }
    }

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
        long requestHint = sizeHint(request.target(), request.headers(), request.content(), request.trailers());
        long responseHint = response == null ? 0
                : sizeHint(response.reason(), response.headers(), response.content(), response.trailers());
        long httpHint = requestHint + responseHint + 16;
        int capture = w.beginMessage(UploadBatch.CAPTURES_FIELD_NUMBER, httpHint + 128);
        head(w, connection, exchange.sequence(), protocol, exchange.requestStartNanos(), exchange.responseEndNanos());
        int http = w.beginMessage(Capture.HTTP_FIELD_NUMBER, httpHint);
        request(w, request, requestHint, h2);
        if (response != null) {
            response(w, response, responseHint);
        }
        w.boolField(HttpExchange.RESPONSE_MISSING_FIELD_NUMBER, exchange.responseMissing() || response == null);
        w.boolField(HttpExchange.DECODER_GAVE_UP_FIELD_NUMBER, exchange.decoderGaveUp());
        w.boolField(HttpExchange.UPGRADED_FIELD_NUMBER, exchange.upgraded());
        for (ResponseHead interim : exchange.interimResponses()) {
            int m = w.beginMessage(HttpExchange.INTERIM_RESPONSES_FIELD_NUMBER);
            w.varintField(InterimResponse.STATUS_CODE_FIELD_NUMBER, interim.statusCode());
            w.stringField(InterimResponse.REASON_FIELD_NUMBER, interim.reason());
            headers(w, InterimResponse.HEADERS_FIELD_NUMBER, interim.headers());
            w.endMessage(m);
        }
        if (h2 != null) {
            http2Stream(w, h2);
        }
        w.endMessage(http);
        TlsEncoder.write(w, connection.tls());
        w.endMessage(capture);
    }

    private static void http2Stream(ProtoWriter w, Http2StreamRecord s) {
        int m = w.beginMessage(HttpExchange.HTTP2_FIELD_NUMBER);
        w.varintField(Http2Stream.STREAM_ID_FIELD_NUMBER, s.streamId());
        w.boolField(Http2Stream.RESET_FIELD_NUMBER, s.reset());
        w.varintField(Http2Stream.RESET_ERROR_CODE_FIELD_NUMBER, s.resetErrorCode());
        w.boolField(Http2Stream.RESET_BY_APP_FIELD_NUMBER, s.resetByApp());
        w.boolField(Http2Stream.INCOMPLETE_FIELD_NUMBER, s.incomplete());
        w.boolField(Http2Stream.PUSHED_FIELD_NUMBER, s.pushed());
        w.varintField(Http2Stream.PROMISED_ON_STREAM_ID_FIELD_NUMBER, s.promisedOnStreamId());
        w.endMessage(m);
    }

    void connection(ProtoWriter w, ConnectionCapture summary) {
        int capture = w.beginMessage(UploadBatch.CAPTURES_FIELD_NUMBER);
        L7Protocol protocol = toProto(summary.detected());
        head(w, summary.connection(), 0, protocol, summary.startUnixNanos(), summary.endUnixNanos());
        int m = w.beginMessage(Capture.CONNECTION_FIELD_NUMBER);
        w.varintField(ConnectionSummary.DETECTED_FIELD_NUMBER, protocol.getNumber());
        w.varintField(ConnectionSummary.BYTES_CLIENT_TO_APP_FIELD_NUMBER, summary.bytesClientToApp());
        w.varintField(ConnectionSummary.BYTES_APP_TO_CLIENT_FIELD_NUMBER, summary.bytesAppToClient());
        w.varintField(ConnectionSummary.DURATION_NS_FIELD_NUMBER, summary.durationNanos());
        w.endMessage(m);
        TlsEncoder.write(w, summary.connection().tls());
        w.endMessage(capture);
    }

    static L7Protocol toProto(DetectedProtocol p) {
        if (p == null) {
            return L7Protocol.L7_PROTOCOL_TCP;
        }
        return switch (p) {
            case HTTP1 -> L7Protocol.L7_PROTOCOL_HTTP1;
            case HTTP2 -> L7Protocol.L7_PROTOCOL_HTTP2;
            case TLS -> L7Protocol.L7_PROTOCOL_TLS;
            case TCP -> L7Protocol.L7_PROTOCOL_TCP;
        };
    }

    /** The Capture fields every capture has, before its payload. */
    private void head(ProtoWriter w, ConnectionInfo connection, long sequence, L7Protocol protocol, long start, long end) {
        ids.writeNext(w, Capture.ID_FIELD_NUMBER);
        byte[] proxyId = ids.proxyId();
        w.bytesField(Capture.PROXY_ID_FIELD_NUMBER, proxyId, 0, proxyId.length);
        w.varintField(Capture.CID_FIELD_NUMBER, connection.cid());
        w.varintField(Capture.SEQUENCE_FIELD_NUMBER, sequence);
        w.varintField(Capture.PROTOCOL_FIELD_NUMBER, protocol.getNumber());
        // the proto's wire direction (which way the proxy faces), not a relay Direction: a reverse proxy captures inbound
        w.varintField(Capture.DIRECTION_FIELD_NUMBER,
                (connection.outbound() ? Direction.DIRECTION_OUTBOUND : Direction.DIRECTION_INBOUND).getNumber());
        w.stringField(Capture.CLIENT_ADDR_FIELD_NUMBER, connection.clientAddr());
        w.stringField(Capture.BACKEND_ADDR_FIELD_NUMBER, connection.backendAddr());
        w.varintField(Capture.REQUEST_START_UNIX_NANOS_FIELD_NUMBER, start);
        w.varintField(Capture.RESPONSE_END_UNIX_NANOS_FIELD_NUMBER, end);
    }

    private static void request(ProtoWriter w, HttpRequestRecord r, long sizeHint, Http2StreamRecord h2) {
        int m = w.beginMessage(HttpExchange.REQUEST_FIELD_NUMBER, sizeHint);
        w.stringField(HttpRequest.METHOD_FIELD_NUMBER, r.method());
        w.stringField(HttpRequest.TARGET_FIELD_NUMBER, r.target());
        versionHeadersAndBody(w, r.version(), r.headers(), r.content(), r.trailers());
        if (h2 != null) {
            w.stringField(HttpRequest.AUTHORITY_FIELD_NUMBER, h2.authority());
            w.stringField(HttpRequest.SCHEME_FIELD_NUMBER, h2.scheme());
        }
        w.endMessage(m);
    }

    private static void response(ProtoWriter w, HttpResponseRecord r, long sizeHint) {
        int m = w.beginMessage(HttpExchange.RESPONSE_FIELD_NUMBER, sizeHint);
        w.varintField(HttpResponse.STATUS_CODE_FIELD_NUMBER, r.statusCode());
        w.stringField(HttpResponse.REASON_FIELD_NUMBER, r.reason());
        versionHeadersAndBody(w, r.version(), r.headers(), r.content(), r.trailers());
        w.endMessage(m);
    }

    /** The fields HttpRequest and HttpResponse number alike (checked once, above). */
    private static void versionHeadersAndBody(ProtoWriter w, String version, List<HttpHeader> headers, MessageBody body,
            List<HttpHeader> trailers) {
        w.stringField(HttpRequest.VERSION_FIELD_NUMBER, version);
        headers(w, HttpRequest.HEADERS_FIELD_NUMBER, headers);
        w.bytesField(HttpRequest.BODY_FIELD_NUMBER, body.view());
        w.varintField(HttpRequest.BODY_SIZE_FIELD_NUMBER, body.size());
        w.boolField(HttpRequest.BODY_TRUNCATED_FIELD_NUMBER, body.truncated());
        headers(w, HttpRequest.TRAILERS_FIELD_NUMBER, trailers);
    }

    /**
     * About the encoded size of a request or response message: exact enough to pick the width of its length (a
     * wrong guess only costs moving the bytes).
     */
    private static long sizeHint(String text, List<HttpHeader> headers, MessageBody body, List<HttpHeader> trailers) {
        return 32 + text.length() + sizeHint(headers) + body.keptLength() + sizeHint(trailers);
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

    /** Repeated Header {name, value}. */
    private static void headers(ProtoWriter w, int field, List<HttpHeader> headers) {
        if (headers instanceof HeaderBlock block) {
            block.forEachField(w, field, CaptureEncoder::blockField); // straight from the received bytes
            return;
        }
        for (int i = 0, n = headers.size(); i < n; i++) {
            HttpHeader h = headers.get(i);
            int m = w.beginMessage(field);
            w.stringField(Header.NAME_FIELD_NUMBER, h.name());
            w.stringField(Header.VALUE_FIELD_NUMBER, h.value());
            w.endMessage(m);
        }
    }

    private static void blockField(ProtoWriter w, int field, boolean ascii, byte[] src, int nameFrom, int nameTo,
            int valueFrom, int valueTo) {
        if (ascii) {
            w.asciiHeader(field, src, nameFrom, nameTo, valueFrom, valueTo);
            return;
        }
        int m = w.beginMessage(field);
        w.latin1Field(Header.NAME_FIELD_NUMBER, src, nameFrom, nameTo);
        w.latin1Field(Header.VALUE_FIELD_NUMBER, src, valueFrom, valueTo);
        w.endMessage(m);
    }
}
