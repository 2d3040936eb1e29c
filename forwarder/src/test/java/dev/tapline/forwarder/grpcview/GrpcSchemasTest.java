package dev.tapline.forwarder.grpcview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.Direction;
import dev.tapline.capture.v1.ForwarderProto;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.HttpResponse;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.forwarder.testing.DescriptorSets;

/** gRPC calls decoded with the types of a descriptor set of the contract's forwarder.proto, and what falls back. */
class GrpcSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private GrpcSchemas contract() {
        return GrpcSchemas.load(DescriptorSets.write(dir.resolve("forwarder.pb"), ForwarderProto.getDescriptor())
                .toString());
    }

    private static Capture call(String path, byte[] request, byte[] response) {
        return Capture.newBuilder().setProtocol(L7Protocol.L7_PROTOCOL_GRPC).setHttp(HttpExchange.newBuilder()
                .setRequest(HttpRequest.newBuilder().setMethod("POST").setTarget(path)
                        .setBody(ByteString.copyFrom(GrpcMessagesTest.framed(false, request))))
                .setResponse(HttpResponse.newBuilder().setStatusCode(200)
                        .setBody(ByteString.copyFrom(GrpcMessagesTest.framed(false, response)))))
                .build();
    }

    @Test
    void aKnownMethodsMessagesHaveFieldNamesEnumNamesAndTheirType() throws Exception {
        UploadBatch batch = UploadBatch.newBuilder().setBatchId(7).setProxyId("pod-7").addCaptures(Capture.newBuilder()
                .setId("c-1").setProtocol(L7Protocol.L7_PROTOCOL_HTTP2).setDirection(Direction.DIRECTION_OUTBOUND))
                .build();
        UploadAck ack = UploadAck.newBuilder().setBatchId(7).setStored(1).build();

        GrpcCall call = GrpcCall.of(call("/tapline.capture.v1.Forwarder/Upload", batch.toByteArray(),
                ack.toByteArray()), contract());

        GrpcMessage req = call.requestMessages().get(0);
        assertThat(req.type()).isEqualTo("tapline.capture.v1.UploadBatch");
        assertThat(req.base64()).isNull();
        assertThat(req.json()).isEqualTo(JSON.readTree("{\"batchId\":\"7\",\"proxyId\":\"pod-7\",\"captures\":"
                + "[{\"id\":\"c-1\",\"protocol\":\"L7_PROTOCOL_HTTP2\",\"direction\":\"DIRECTION_OUTBOUND\"}]}"));
        GrpcMessage res = call.responseMessages().get(0);
        assertThat(res.type()).isEqualTo("tapline.capture.v1.UploadAck");
        assertThat(res.json()).isEqualTo(JSON.readTree("{\"batchId\":\"7\",\"stored\":1}"));
    }

    @Test
    void unknownMethodsAndBytesThatAreNotTheTypeKeepTheSchemalessDecode() {
        GrpcSchemas schemas = contract();
        byte[] hb = HeartbeatRequest.newBuilder().setProxyId("pod-7").build().toByteArray();

        GrpcMessage unknown = GrpcCall.of(call("/shop.Cart/Add", hb, hb), schemas).requestMessages().get(0);
        assertThat(unknown.type()).isNull();
        assertThat(unknown.json().get("1").asText()).isEqualTo("pod-7");

        // field 1 is proxy_id, a string; here it is a varint: parsed, it would only be an unknown field
        byte[] varintAsField1 = {0x08, 0x2A};
        GrpcMessage notTheType = GrpcCall.of(call("/tapline.capture.v1.Forwarder/Heartbeat", varintAsField1, hb),
                schemas).requestMessages().get(0);
        assertThat(notTheType.type()).isNull();
        assertThat(notTheType.json().get("1").asInt()).isEqualTo(42);
        // a field the type does not declare, deep inside: the typed print would hide it
        UploadBatch inner = UploadBatch.newBuilder().addCaptures(Capture.newBuilder().setId("c")
                .setUnknownFields(com.google.protobuf.UnknownFieldSet.newBuilder().addField(999,
                        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()))
                .build();
        GrpcMessage nested = GrpcCall.of(call("/tapline.capture.v1.Forwarder/Upload", inner.toByteArray(), hb),
                schemas).requestMessages().get(0);
        assertThat(nested.type()).isNull();
        assertThat(nested.json().get("3").get("999").asInt()).isEqualTo(1);
        // the response of the same call is its type
        assertThat(GrpcCall.of(call("/tapline.capture.v1.Forwarder/Heartbeat", hb, new byte[0]), schemas)
                .responseMessages().get(0).type()).isEqualTo("tapline.capture.v1.HeartbeatResponse");
    }

    @Test
    void aFileThatIsNotADescriptorSetOrMissesAnImportIsNamedWithItsProblem() throws Exception {
        Path text = Files.writeString(dir.resolve("shop.proto"), "syntax = \"proto3\";\nmessage A { string b = 1; }\n");
        assertThatThrownBy(() -> GrpcSchemas.load(text.toString())).hasMessageContaining(text.toString())
                .hasMessageContaining("not a FileDescriptorSet");
        Path missing = dir.resolve("nowhere.pb");
        assertThatThrownBy(() -> GrpcSchemas.load(missing.toString())).hasMessageContaining(missing.toString())
                .hasMessageContaining("cannot read it");
        Path empty = Files.write(dir.resolve("empty.pb"), new byte[0]);
        assertThatThrownBy(() -> GrpcSchemas.load(empty.toString())).hasMessageContaining("no named .proto file");
        FileDescriptorProto importing = FileDescriptorProto.newBuilder().setName("shop.proto").setPackage("shop")
                .addDependency("money.proto").build();
        Path noImports = Files.write(dir.resolve("shop.pb"),
                FileDescriptorSet.newBuilder().addFile(importing).build().toByteArray());
        assertThatThrownBy(() -> GrpcSchemas.load(noImports.toString()))
                .hasMessageContaining("shop.proto imports money.proto").hasMessageContaining("--include_imports");
    }

    @Test
    void severalSetsAreOneSchemaAndBlankEntriesAreSkipped() {
        String one = DescriptorSets.write(dir.resolve("a.pb"), ForwarderProto.getDescriptor()).toString();
        String two = DescriptorSets.write(dir.resolve("b.pb"), ForwarderProto.getDescriptor()).toString();
        assertThat(GrpcSchemas.load(one + ", " + two + ",").size()).isEqualTo(3);
        JsonNode none = GrpcCall.of(call("/tapline.capture.v1.Forwarder/Register", new byte[0], new byte[0]),
                GrpcSchemas.NONE).requestMessages().get(0).json();
        assertThat(none).isEmpty();
    }
}
