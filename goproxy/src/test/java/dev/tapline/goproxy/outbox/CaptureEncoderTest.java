package dev.tapline.goproxy.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
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
import dev.tapline.common.identity.IdentityLimits;
import dev.tapline.goproxy.capture.ConnectionCapture;
import dev.tapline.goproxy.capture.DetectedProtocol;
import dev.tapline.goproxy.capture.HeaderBlock;
import dev.tapline.goproxy.capture.Http2StreamRecord;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.HttpRequestRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;
import dev.tapline.goproxy.capture.ResponseHead;
import dev.tapline.goproxy.capture.http1.HttpSniffer;
import dev.tapline.goproxy.capture.http1.RecordingListener;
import dev.tapline.goproxy.capture.http1.SnifferLimits;
import dev.tapline.goproxy.relay.ConnectionInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The hand-written encoder must give the very bytes protobuf-java gives for the same capture built with the
 * generated classes, field by field (a wrong field number, a missed default or a wrong length would all show).
 */
class CaptureEncoderTest {
    private static final ConnectionInfo CONN = new ConnectionInfo(7, "127.0.0.1:53312", "127.0.0.1:5000", 0);

    private final CaptureIds ids = new CaptureIds("pod-1");
    private final CaptureEncoder encoder = new CaptureEncoder(ids);

    @Test
    void aPlainGetAnd200AreTheBytesProtobufWouldWrite() {
        HttpExchangeRecord exchange = exchange(0, request("GET", "/small", headers("Host", "localhost:4143",
                "User-Agent", "curl/7.88.1", "Accept", "*/*"), bytes(""), 0, false),
                response(200, "OK", headers("Server", "nginx", "Content-Length", "13"), bytes("product-list\n"), 13, false));
        assertEncodedLikeProtobuf(exchange, CONN);
    }

    @Test
    void everyFieldSetIncludingTrailersInterimResponsesAndFlags() {
        HttpRequestRecord req = new HttpRequestRecord("POST", "/upload?x=1", "HTTP/1.0",
                headers("Transfer-Encoding", "chunked", "Expect", "100-continue"), bytes("abc"), 99, true,
                headers("X-Checksum", "deadbeef"), false);
        HttpResponseRecord res = new HttpResponseRecord(101, "", "HTTP/1.1", headers("Upgrade", "websocket"),
                new byte[0], 0, false, headers("X-T", "1"), true);
        HttpExchangeRecord exchange = new HttpExchangeRecord(Long.MAX_VALUE, req, res,
                List.of(new ResponseHead(100, "Continue", "HTTP/1.1", List.of()),
                        new ResponseHead(103, "Early Hints", "HTTP/1.1", headers("Link", "</a.css>; rel=preload"))),
                true, true, true, 1_764_144_000_123_456_789L, -5);
        assertEncodedLikeProtobuf(exchange, new ConnectionInfo(Long.MAX_VALUE, "[::1]:1", "", 0));
    }

    @Test
    void aMissingResponseAndEmptyStringsAreLeftOutAsProtobufLeavesThemOut() {
        HttpExchangeRecord exchange = new HttpExchangeRecord(0,
                new HttpRequestRecord("GET", "/", "HTTP/1.1", headers("", "", "X-Empty", ""), new byte[0], 0, false,
                        List.of(), false),
                null, List.of(), false, false, false, 0, 0);
        assertEncodedLikeProtobuf(exchange, new ConnectionInfo(0, "", "", 0));
    }

    @Test
    void nonAsciiHeaderBytesBecomeTheSameUtf8AsProtobufMakesOfThem() {
        // the decoder reads header bytes as ISO-8859-1: 0xE9 is 'é', which UTF-8 writes as two bytes
        String latin1 = new String(new byte[] {'c', 'a', 'f', (byte) 0xE9, (byte) 0xFF}, StandardCharsets.ISO_8859_1);
        HttpExchangeRecord exchange = exchange(3, request("GET", "/" + latin1, headers("X-Name", latin1), bytes(""), 0,
                false), response(200, latin1, headers(latin1, "v"), bytes(""), 0, false));
        assertEncodedLikeProtobuf(exchange, CONN);
    }

    @Test
    void headersDecodedFromTheWireAreEncodedFromTheirBytesLikeProtobufEncodesTheirStrings() {
        // the decoder keeps header fields as received bytes (HeaderBlock) and the encoder copies them from there:
        // mixed case, Latin-1 bytes in values, empty values, a value over 127 bytes, trailers and interim responses
        String longValue = "v".repeat(300);
        byte[] request = bytes("POST /up HTTP/1.1\r\nHost: a\r\nX-Cafe: caf\u00e9\u00ff\r\nX-Empty:\r\n"
                + "X-Long: " + longValue + "\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n");
        byte[] response = bytes("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ncontent-LENGTH: 2\r\nServer: \u00e9\r\n\r\nhi");
        RecordingListener listener = new RecordingListener();
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), listener, () -> 1L);
        sniffer.onClientBytes(java.nio.ByteBuffer.wrap(request));
        sniffer.onAppBytes(java.nio.ByteBuffer.wrap(response));
        HttpExchangeRecord exchange = listener.exchanges().get(0);
        assertThat(exchange.request().headers()).isInstanceOf(HeaderBlock.class).hasSize(5)
                .contains(new HttpHeader("X-Cafe", "caf\u00e9\u00ff"), new HttpHeader("X-Long", longValue));
        assertThat(exchange.request().trailers()).containsExactly(new HttpHeader("X-Sum", "1"));
        assertThat(exchange.response().header("Content-Length")).isEqualTo("2");
        assertThat(exchange.interimResponses()).hasSize(1);
        assertEncodedLikeProtobuf(exchange, CONN);
    }

    @Test
    void anyUnicodeInTheProxyIdOrAddressesIsEncodedAsProtobufDoes() {
        CaptureEncoder unicode = new CaptureEncoder(new CaptureIds("pöd-😀-\uD800x"));
        HttpExchangeRecord exchange = exchange(0, request("GET", "/", List.of(), bytes(""), 0, false), null);
        ConnectionInfo conn = new ConnectionInfo(1, "ħost:1", "app-\uDC00:2", 0);
        ProtoWriter w = new ProtoWriter(16);
        unicode.http(w, conn, exchange);
        byte[] written = written(w);
        UploadBatch decoded = parse(written);
        Capture expected = reference(decoded.getCaptures(0).getId(), "pöd-😀-\uD800x", conn, exchange);
        assertThat(written).isEqualTo(batchOf(expected));
    }

    @Test
    void longFieldsGetMultiByteLengthsAtEveryNestingLevel() {
        String longValue = "v".repeat(20_000); // 3-byte length for the value, the header, the request, the capture
        byte[] body = new byte[70_000];
        Arrays.fill(body, (byte) 0xAB);
        HttpExchangeRecord exchange = exchange(1, request("PUT", "/" + "p".repeat(200), headers("Cookie", longValue),
                body, 10_000_000, true), response(200, "OK", headers("Set-Cookie", "s".repeat(127)), body, 70_000, false));
        assertEncodedLikeProtobuf(exchange, CONN);
    }

    @Test
    void aConnectionSummaryForEveryDetectedProtocol() {
        for (DetectedProtocol p : new DetectedProtocol[] {DetectedProtocol.TCP, DetectedProtocol.TLS, DetectedProtocol.HTTP2,
                DetectedProtocol.HTTP1, null}) {
            ConnectionCapture summary = new ConnectionCapture(CONN, p, 1234, 0, 1_000, 2_000, 999_999_999_999L);
            ProtoWriter w = new ProtoWriter(16);
            encoder.connection(w, summary);
            byte[] written = written(w);
            Capture got = parse(written).getCaptures(0);
            L7Protocol proto = CaptureEncoder.toProto(p);
            Capture expected = Capture.newBuilder().setId(got.getId()).setProxyId("pod-1").setCid(7).setSequence(0)
                    .setProtocol(proto).setDirection(Direction.DIRECTION_INBOUND)
                    .setClientAddr(CONN.clientAddr()).setBackendAddr(CONN.directAddr())
                    .setRequestStartUnixNanos(1_000).setResponseEndUnixNanos(2_000)
                    .setConnection(ConnectionSummary.newBuilder().setDetected(proto).setBytesClientToApp(1234)
                            .setBytesAppToClient(0).setDurationNs(999_999_999_999L))
                    .build();
            assertThat(written).isEqualTo(batchOf(expected));
        }
    }

    @Test
    void idsAreUniqueAndCarryTheProxyIdAndARunNonce() {
        ProtoWriter w = new ProtoWriter(16);
        for (int i = 0; i < 12; i++) {
            encoder.connection(w, new ConnectionCapture(CONN, DetectedProtocol.TCP, 1, 1, 1, 1, 1));
        }
        List<String> got = parse(w).getCapturesList().stream().map(Capture::getId).toList();
        assertThat(got).doesNotHaveDuplicates().allMatch(id -> id.matches("pod-1-[0-9a-f]+-\\d+"));
        assertThat(got.get(11)).endsWith("-11");
        String otherRun = idOf(new CaptureEncoder(new CaptureIds("pod-1")));
        assertThat(otherRun).isNotEqualTo(got.get(0)).startsWith("pod-1-");
    }

    @Test
    void aLongProxyIdStillGivesCaptureIdsTheForwarderAccepts() {
        String longest = "p".repeat(IdentityLimits.MAX_PROXY_ID_LENGTH);
        Capture capture = parseOne(new CaptureEncoder(new CaptureIds(longest)));
        assertThat(capture.getProxyId()).as("the record keeps the whole proxy id").isEqualTo(longest);
        assertThat(capture.getId()).startsWith("p".repeat(91) + "-").doesNotStartWith("p".repeat(92));
        // the longest id this proxy will ever write: a 16-digit nonce and the largest counter
        assertThat(CaptureIds.idPart(longest).length() + 1 + 16 + 1 + String.valueOf(Long.MAX_VALUE).length())
                .isLessThanOrEqualTo(IdentityLimits.MAX_CAPTURE_ID_LENGTH);
        assertThat(CaptureIds.idPart("p".repeat(90) + "😀x")).as("a surrogate pair is not split")
                .isEqualTo("p".repeat(90));
        assertThat(CaptureIds.idPart("pod-1")).isEqualTo("pod-1");
    }

    private static Capture parseOne(CaptureEncoder e) {
        ProtoWriter w = new ProtoWriter(16);
        e.connection(w, new ConnectionCapture(CONN, DetectedProtocol.TCP, 1, 1, 1, 1, 1));
        return parse(w).getCaptures(0);
    }

    private static String idOf(CaptureEncoder e) {
        ProtoWriter w = new ProtoWriter(16);
        e.connection(w, new ConnectionCapture(CONN, DetectedProtocol.TCP, 1, 1, 1, 1, 1));
        return parse(w).getCaptures(0).getId();
    }

    @Test
    void anHttp2StreamWithItsFlagsAuthorityAndSchemeIsTheBytesProtobufWouldWrite() {
        HttpExchangeRecord exchange = exchange(4, request("POST", "/helloworld.Greeter/SayHello",
                headers("content-type", "application/grpc", "te", "trailers"), bytes("\0\0\0\0\2\n\0"), 7, false),
                new HttpResponseRecord(200, "", "HTTP/2.0", headers("content-type", "application/grpc"), bytes(""), 0,
                        false, headers("grpc-status", "0"), true));
        Http2StreamRecord stream = new Http2StreamRecord(0x7fffffff, "svc:50051", "http", exchange, true, 0xffffffffL,
                true, true, true, 2);
        ProtoWriter w = new ProtoWriter(16);
        encoder.http2(w, CONN, stream);
        byte[] written = written(w);
        Capture decoded = parse(written).getCaptures(0);
        Capture plain = reference(decoded.getId(), "pod-1", CONN, exchange);
        HttpExchange.Builder http = plain.getHttp().toBuilder();
        http.getRequestBuilder().setAuthority("svc:50051").setScheme("http");
        http.setHttp2(Http2Stream.newBuilder().setStreamId(0x7fffffff).setReset(true).setResetErrorCode(0xffffffff)
                .setResetByApp(true).setIncomplete(true).setPushed(true).setPromisedOnStreamId(2));
        Capture expected = plain.toBuilder().setProtocol(L7Protocol.L7_PROTOCOL_GRPC).setHttp(http).build();
        assertThat(decoded).isEqualTo(expected);
        assertThat(written).isEqualTo(batchOf(expected));
    }

    private void assertEncodedLikeProtobuf(HttpExchangeRecord exchange, ConnectionInfo conn) {
        ProtoWriter w = new ProtoWriter(16); // tiny on purpose: growing is part of the test
        encoder.http(w, conn, exchange);
        byte[] written = written(w);
        UploadBatch decoded = parse(written);
        assertThat(decoded.getCapturesCount()).isEqualTo(1);
        Capture expected = reference(decoded.getCaptures(0).getId(), "pod-1", conn, exchange);
        assertThat(decoded.getCaptures(0)).isEqualTo(expected);
        assertThat(written).isEqualTo(batchOf(expected));
    }

    private static UploadBatch parse(ProtoWriter w) {
        return parse(written(w));
    }

    private static UploadBatch parse(byte[] written) {
        try {
            return UploadBatch.parseFrom(written);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** What the writer moves into a batch (long bodies are not in its array but copied from their records). */
    static byte[] written(ProtoWriter w) {
        ByteBuf batch = Unpooled.directBuffer();
        try {
            w.moveTo(batch);
            return ByteBufUtil.getBytes(batch);
        } finally {
            batch.release();
        }
    }

    private static byte[] batchOf(Capture c) {
        return UploadBatch.newBuilder().addCaptures(c).build().toByteArray();
    }

    /** The same capture made with the generated builders: what goproxy sent before it encoded by hand. */
    private static Capture reference(String id, String proxyId, ConnectionInfo conn, HttpExchangeRecord e) {
        HttpRequestRecord req = e.request();
        HttpRequest.Builder request = HttpRequest.newBuilder().setMethod(req.method()).setTarget(req.target())
                .setVersion(req.version()).setBody(ByteString.copyFrom(req.body())).setBodySize(req.bodySize())
                .setBodyTruncated(req.bodyTruncated()).addAllHeaders(proto(req.headers())).addAllTrailers(proto(req.trailers()));
        HttpExchange.Builder http = HttpExchange.newBuilder().setRequest(request)
                .setResponseMissing(e.responseMissing() || e.response() == null)
                .setDecoderGaveUp(e.decoderGaveUp()).setUpgraded(e.upgraded());
        HttpResponseRecord res = e.response();
        if (res != null) {
            http.setResponse(HttpResponse.newBuilder().setStatusCode(res.statusCode()).setReason(res.reason())
                    .setVersion(res.version()).setBody(ByteString.copyFrom(res.body())).setBodySize(res.bodySize())
                    .setBodyTruncated(res.bodyTruncated()).addAllHeaders(proto(res.headers()))
                    .addAllTrailers(proto(res.trailers())));
        }
        for (ResponseHead interim : e.interimResponses()) {
            http.addInterimResponses(InterimResponse.newBuilder().setStatusCode(interim.statusCode())
                    .setReason(interim.reason()).addAllHeaders(proto(interim.headers())));
        }
        return Capture.newBuilder().setId(id).setProxyId(proxyId).setCid(conn.cid()).setSequence(e.sequence())
                .setProtocol(L7Protocol.L7_PROTOCOL_HTTP1).setDirection(Direction.DIRECTION_INBOUND)
                .setClientAddr(conn.clientAddr()).setBackendAddr(conn.directAddr())
                .setRequestStartUnixNanos(e.requestStartNanos()).setResponseEndUnixNanos(e.responseEndNanos())
                .setHttp(http).build();
    }

    private static List<Header> proto(List<HttpHeader> headers) {
        List<Header> out = new ArrayList<>();
        for (HttpHeader h : headers) {
            out.add(Header.newBuilder().setName(h.name()).setValue(h.value()).build());
        }
        return out;
    }

    static List<HttpHeader> headers(String... nameValues) {
        List<HttpHeader> out = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            out.add(new HttpHeader(nameValues[i], nameValues[i + 1]));
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static HttpRequestRecord request(String method, String target, List<HttpHeader> headers, byte[] body, long size,
            boolean truncated) {
        return new HttpRequestRecord(method, target, "HTTP/1.1", headers, body, size, truncated, List.of(), true);
    }

    static HttpResponseRecord response(int status, String reason, List<HttpHeader> headers, byte[] body, long size,
            boolean truncated) {
        return new HttpResponseRecord(status, reason, "HTTP/1.1", headers, body, size, truncated, List.of(), true);
    }

    static HttpExchangeRecord exchange(long sequence, HttpRequestRecord req, HttpResponseRecord res) {
        return new HttpExchangeRecord(sequence, req, res, List.of(), res == null, false, false, 1_764_144_000_000_000_000L,
                res == null ? 0 : 1_764_144_000_000_250_000L);
    }
}
