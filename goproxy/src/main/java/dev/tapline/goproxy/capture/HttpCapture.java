package dev.tapline.goproxy.capture;

import java.util.List;

import com.google.protobuf.UnsafeByteOperations;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.InterimResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.goproxy.relay.ConnectionInfo;

/** One decoded HTTP/1.x exchange waiting to be uploaded. */
final class HttpCapture implements PendingCapture {
    private static final int OVERHEAD = 512;

    private final ConnectionInfo connection;
    private final HttpExchangeRecord exchange;
    private final long size;

    HttpCapture(ConnectionInfo connection, HttpExchangeRecord exchange) {
        this.connection = connection;
        this.exchange = exchange;
        long s = OVERHEAD + exchange.request().target().length() + headerBytes(exchange.request().headers())
                + exchange.request().bodyView().remaining();
        if (exchange.response() != null) {
            s += headerBytes(exchange.response().headers()) + exchange.response().bodyView().remaining();
        }
        this.size = s;
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public Capture toProto(String id, String proxyId) {
        HttpRequestRecord req = exchange.request();
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .setMethod(req.method()).setTarget(req.target()).setVersion(req.version())
                // the record owns its array and never changes it: wrap, don't copy
                .setBody(UnsafeByteOperations.unsafeWrap(req.bodyView()))
                .setBodySize(req.bodySize()).setBodyTruncated(req.bodyTruncated());
        for (HttpHeader h : req.headers()) {
            request.addHeadersBuilder().setName(h.name()).setValue(h.value());
        }
        for (HttpHeader h : req.trailers()) {
            request.addTrailersBuilder().setName(h.name()).setValue(h.value());
        }
        HttpExchange.Builder http = HttpExchange.newBuilder()
                .setRequest(request)
                .setResponseMissing(exchange.responseMissing() || exchange.response() == null)
                .setDecoderGaveUp(exchange.decoderGaveUp())
                .setUpgraded(exchange.upgraded());
        HttpResponseRecord res = exchange.response();
        if (res != null) {
            HttpResponse.Builder response = HttpResponse.newBuilder()
                    .setStatusCode(res.statusCode()).setReason(res.reason()).setVersion(res.version())
                    .setBody(UnsafeByteOperations.unsafeWrap(res.bodyView()))
                    .setBodySize(res.bodySize()).setBodyTruncated(res.bodyTruncated());
            for (HttpHeader h : res.headers()) {
                response.addHeadersBuilder().setName(h.name()).setValue(h.value());
            }
            for (HttpHeader h : res.trailers()) {
                response.addTrailersBuilder().setName(h.name()).setValue(h.value());
            }
            http.setResponse(response);
        }
        for (ResponseHead interim : exchange.interimResponses()) {
            InterimResponse.Builder ir = http.addInterimResponsesBuilder().setStatusCode(interim.statusCode())
                    .setReason(interim.reason());
            for (HttpHeader h : interim.headers()) {
                ir.addHeadersBuilder().setName(h.name()).setValue(h.value());
            }
        }
        return Capture.newBuilder()
                .setId(id).setProxyId(proxyId)
                .setCid(connection.cid()).setSequence(exchange.sequence())
                .setProtocol(L7Protocol.L7_PROTOCOL_HTTP1).setDirection(Direction.DIRECTION_INBOUND)
                .setClientAddr(connection.clientAddr()).setBackendAddr(connection.directAddr())
                .setRequestStartUnixNanos(exchange.requestStartNanos())
                .setResponseEndUnixNanos(exchange.responseEndNanos())
                .setHttp(http)
                .build();
    }

    private static long headerBytes(List<HttpHeader> fields) {
        long n = 0;
        for (HttpHeader h : fields) {
            n += h.name().length() + h.value().length() + 32;
        }
        return n;
    }
}
