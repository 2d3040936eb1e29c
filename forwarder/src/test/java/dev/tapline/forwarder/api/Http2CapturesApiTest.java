package dev.tapline.forwarder.api;

import static dev.tapline.forwarder.testing.Captures.header;
import static dev.tapline.forwarder.testing.GrpcFrames.framed;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.Http2Stream;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.UploadClient;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** HTTP/2 streams and gRPC calls uploaded through gRPC and read back through the read API and HAR. */
@QuarkusTest
class Http2CapturesApiTest {

    @GrpcClient("forwarder")
    Channel channel;

    private static Capture.Builder stream(String id, String proxy, L7Protocol protocol, HttpRequest.Builder req,
            HttpResponse.Builder res, Http2Stream.Builder h2) {
        Capture.Builder c = Captures.http(id, proxy, "/").setProtocol(protocol);
        HttpExchange.Builder x = HttpExchange.newBuilder().setRequest(req.setVersion("HTTP/2.0")
                .setAuthority("orders.svc:50051").setScheme("http")).setHttp2(h2);
        if (res != null) {
            x.setResponse(res.setVersion("HTTP/2.0"));
        } else {
            x.setResponseMissing(true);
        }
        return c.setHttp(x);
    }

    private static void upload(Channel channel, String proxy, Capture... captures) {
        List<UploadAck> acks = UploadClient.send(ForwarderGrpc.newStub(channel),
                Captures.batch(1, proxy, List.of(captures)));
        assertThat(acks.get(0).getStored()).isEqualTo(captures.length);
    }

    @Test
    void aGrpcCallShowsItsServiceMethodStatusAndMessagesAsJson() {
        String proxy = Captures.unique("pod");
        String id = Captures.unique("grpc");
        byte[] request = HeartbeatRequest.newBuilder().setProxyId("pod-7").build().toByteArray();
        byte[] response = HeartbeatRequest.newBuilder().setSentAtUnixNanos(42).build().toByteArray();
        byte[] reqBody = framed(request);
        byte[] resBody = framed(response, response);
        upload(channel, proxy, stream(id, proxy, L7Protocol.L7_PROTOCOL_GRPC,
                HttpRequest.newBuilder().setMethod("POST").setTarget("/tapline.capture.v1.Forwarder/Heartbeat")
                        .addHeaders(header("content-type", "application/grpc")).addHeaders(header("te", "trailers"))
                        .setBody(ByteString.copyFrom(reqBody)).setBodySize(reqBody.length),
                HttpResponse.newBuilder().setStatusCode(200).addHeaders(header("content-type", "application/grpc"))
                        .setBody(ByteString.copyFrom(resBody)).setBodySize(resBody.length)
                        .addTrailers(header("grpc-status", "5")).addTrailers(header("grpc-message", "not%20found")),
                Http2Stream.newBuilder().setStreamId(3)).build());

        JsonPath json = given().get("/api/v1/captures/" + id).then().statusCode(200)
                .body("l7protocol", equalTo("grpc")).body("http.req.version", equalTo("HTTP/2.0"))
                .body("http.req.host", equalTo("orders.svc:50051")).body("http.req.scheme", equalTo("http"))
                .body("http.http2.streamId", equalTo(3)).body("grpc.service", equalTo("tapline.capture.v1.Forwarder"))
                .body("grpc.method", equalTo("Heartbeat")).body("grpc.status", equalTo(5))
                .body("grpc.statusMessage", equalTo("not found")).extract().jsonPath();
        assertThat(json.getList("grpc.requestMessages")).hasSize(1);
        assertThat(json.getInt("grpc.requestMessages[0].sizeBytes")).isEqualTo(request.length);
        assertThat(json.getBoolean("grpc.requestMessages[0].compressed")).isFalse();
        assertThat(json.getString("grpc.requestMessages[0].json.1")).isEqualTo("pod-7");
        assertThat(json.getList("grpc.responseMessages")).hasSize(2);
        assertThat(json.getLong("grpc.responseMessages[1].json.3")).isEqualTo(42);
    }

    @Test
    void aTrailersOnlyErrorAndAResetStreamAreFlaggedAndHarSaysHttp2() {
        String proxy = Captures.unique("pod");
        String ids = Captures.unique("h2");
        upload(channel, proxy,
                stream(ids + "-1", proxy, L7Protocol.L7_PROTOCOL_GRPC,
                        HttpRequest.newBuilder().setMethod("POST").setTarget("/shop.Cart/Add")
                                .addHeaders(header("content-type", "application/grpc+proto")),
                        HttpResponse.newBuilder().setStatusCode(200).addHeaders(header("grpc-status", "7"))
                                .addHeaders(header("grpc-message", "denied")),
                        Http2Stream.newBuilder().setStreamId(1)).build(),
                stream(ids + "-2", proxy, L7Protocol.L7_PROTOCOL_HTTP2,
                        HttpRequest.newBuilder().setMethod("GET").setTarget("/slow"), null,
                        Http2Stream.newBuilder().setStreamId(5).setReset(true).setResetErrorCode(8)).build());

        given().get("/api/v1/captures/" + ids + "-1").then().statusCode(200).body("grpc.status", equalTo(7))
                .body("grpc.statusMessage", equalTo("denied")).body("grpc.method", equalTo("Add"));
        given().get("/api/v1/captures/" + ids + "-2").then().statusCode(200).body("l7protocol", equalTo("http2"))
                .body("grpc", equalTo(null)).body("flags", contains("response_missing", "reset"))
                .body("http.http2.resetErrorCode", equalTo(8)).body("http.http2.resetBy", equalTo("client"));

        String har = given().queryParam("proxy", proxy).get("/api/v1/captures.har").then().statusCode(200).extract()
                .asString();
        HarAssert.assertValidHar12(har);
        JsonPath h = JsonPath.from(har);
        assertThat(h.getList("log.entries")).hasSize(2);
        assertThat(h.getList("log.entries.request.httpVersion")).containsOnly("HTTP/2.0");
        assertThat(h.getList("log.entries.request.url")).containsExactlyInAnyOrder(
                "http://orders.svc:50051/shop.Cart/Add", "http://orders.svc:50051/slow");
    }
}
