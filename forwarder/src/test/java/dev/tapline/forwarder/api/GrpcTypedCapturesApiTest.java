package dev.tapline.forwarder.api;

import static dev.tapline.forwarder.testing.Captures.header;
import static dev.tapline.forwarder.testing.GrpcFrames.framed;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.Http2Stream;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.GrpcDescriptorSetProfile;
import dev.tapline.forwarder.testing.UploadClient;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * With GRPC_DESCRIPTOR_SET naming a descriptor set of forwarder.proto, gRPC calls of its Forwarder service are read
 * back with field and enum names; other calls keep the schema-less decode.
 */
@QuarkusTest
@TestProfile(GrpcDescriptorSetProfile.class)
class GrpcTypedCapturesApiTest {

    @GrpcClient("forwarder")
    Channel channel;

    private static Capture call(String id, String proxy, String path, byte[] request, byte[] response) {
        return Captures.http(id, proxy, "/").setProtocol(L7Protocol.L7_PROTOCOL_GRPC).setHttp(HttpExchange.newBuilder()
                .setRequest(HttpRequest.newBuilder().setMethod("POST").setTarget(path).setVersion("HTTP/2.0")
                        .setAuthority("tapline-forwarder:8888").setScheme("http")
                        .addHeaders(header("content-type", "application/grpc")).setBody(ByteString.copyFrom(request))
                        .setBodySize(request.length))
                .setResponse(HttpResponse.newBuilder().setStatusCode(200).setVersion("HTTP/2.0")
                        .addHeaders(header("content-type", "application/grpc")).setBody(ByteString.copyFrom(response))
                        .setBodySize(response.length).addTrailers(header("grpc-status", "0")))
                .setHttp2(Http2Stream.newBuilder().setStreamId(1))).build();
    }

    @Test
    void aCallOfAServiceInTheSetShowsFieldNamesEnumNamesAndTheTypeOthersStaySchemaless() {
        String proxy = Captures.unique("pod");
        String id = Captures.unique("typed");
        byte[] batch = UploadBatch.newBuilder().setBatchId(12).setProxyId("shop-1").addCaptures(Capture.newBuilder()
                .setId("c-9").setProtocol(L7Protocol.L7_PROTOCOL_GRPC).setDirection(Direction.DIRECTION_INBOUND))
                .build().toByteArray();
        byte[] ack = UploadAck.newBuilder().setBatchId(12).setStored(1).build().toByteArray();
        List<UploadAck> acks = UploadClient.send(ForwarderGrpc.newStub(channel), Captures.batch(1, proxy, List.of(
                call(id + "-1", proxy, "/tapline.capture.v1.Forwarder/Upload", framed(batch), framed(ack)),
                call(id + "-2", proxy, "/shop.Cart/Add", framed(batch), framed(ack)))));
        assertThat(acks.get(0).getStored()).isEqualTo(2);

        JsonPath typed = given().get("/api/v1/captures/" + id + "-1").then().statusCode(200)
                .body("grpc.service", equalTo("tapline.capture.v1.Forwarder")).body("grpc.status", equalTo(0))
                .extract().jsonPath();
        assertThat(typed.getString("grpc.requestMessages[0].type")).isEqualTo("tapline.capture.v1.UploadBatch");
        assertThat(typed.getInt("grpc.requestMessages[0].sizeBytes")).isEqualTo(batch.length);
        assertThat(typed.getString("grpc.requestMessages[0].json.proxyId")).isEqualTo("shop-1");
        assertThat(typed.getString("grpc.requestMessages[0].json.batchId")).isEqualTo("12");
        assertThat(typed.getString("grpc.requestMessages[0].json.captures[0].protocol")).isEqualTo("L7_PROTOCOL_GRPC");
        assertThat(typed.getString("grpc.requestMessages[0].json.captures[0].direction"))
                .isEqualTo("DIRECTION_INBOUND");
        assertThat(typed.getString("grpc.responseMessages[0].type")).isEqualTo("tapline.capture.v1.UploadAck");
        assertThat(typed.getInt("grpc.responseMessages[0].json.stored")).isEqualTo(1);

        // the same bytes on a method no set declares: field numbers, no type; searches decode alike
        JsonPath searched = given().queryParam("proxy", proxy).get("/api/v1/captures").then().statusCode(200)
                .extract().jsonPath();
        assertThat(searched.getList("id")).containsExactlyInAnyOrder(id + "-1", id + "-2");
        int other = searched.getList("id").indexOf(id + "-2");
        assertThat(searched.getString("[" + other + "].grpc.requestMessages[0].type")).isNull();
        assertThat(searched.getString("[" + other + "].grpc.requestMessages[0].json.2")).isEqualTo("shop-1");
        assertThat(searched.getString("[" + (1 - other) + "].grpc.requestMessages[0].json.proxyId"))
                .isEqualTo("shop-1");
    }
}
