package dev.tapline.forwarder.sink.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ForwarderProto;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.HttpExchange;
import dev.tapline.capture.v1.HttpRequest;
import dev.tapline.capture.v1.L7Protocol;
import dev.tapline.forwarder.config.KafkaConfig.Format;
import dev.tapline.forwarder.grpcview.GrpcSchemas;
import dev.tapline.forwarder.ingest.BatchPreparer;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.DescriptorSets;

/**
 * A gRPC capture's JSON record value decodes its messages as the read API does, with GRPC_DESCRIPTOR_SET too; a
 * protobuf record carries the same key and headers.
 */
class CaptureRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theJsonValueDecodesGrpcMessagesWithTheDescriptorSetsTypes() throws Exception {
        byte[] hb = HeartbeatRequest.newBuilder().setProxyId("pod-3").build().toByteArray();
        byte[] body = ByteBuffer.allocate(5 + hb.length).put((byte) 0).putInt(hb.length).put(hb).array();
        Capture c = Captures.http("g1", "proxy-1", "/").setProtocol(L7Protocol.L7_PROTOCOL_GRPC)
                .setHttp(HttpExchange.newBuilder().setRequest(HttpRequest.newBuilder().setMethod("POST")
                        .setTarget("/tapline.capture.v1.Forwarder/Heartbeat").setBody(ByteString.copyFrom(body))))
                .build();
        GrpcSchemas schemas = GrpcSchemas.load(
                DescriptorSets.write(dir.resolve("f.pb"), ForwarderProto.getDescriptor()).toString());

        JsonNode typed = value(new CaptureRecords("t", Format.JSON, JSON, schemas)
                .of(BatchPreparer.row(c, "shop", "shop-pod-1", "c1", Captures.T0)));
        JsonNode plain = value(new CaptureRecords("t", Format.JSON, JSON)
                .of(BatchPreparer.row(c, "shop", "shop-pod-1", "c1", Captures.T0)));

        assertThat(typed.at("/grpc/requestMessages/0/type").asText()).isEqualTo("tapline.capture.v1.HeartbeatRequest");
        assertThat(typed.at("/grpc/requestMessages/0/json/proxyId").asText()).isEqualTo("pod-3");
        assertThat(plain.at("/grpc/requestMessages/0/type").isMissingNode()).isTrue();
        assertThat(plain.at("/grpc/requestMessages/0/json/1").asText()).isEqualTo("pod-3");
    }

    /** The protobuf record is read only for its key and headers: they match the JSON record's, its value is the row's. */
    @Test
    void theProtobufRecordHasTheJsonRecordsKeyAndHeadersAndTheStoredBytes() throws Exception {
        Capture c = Captures.http("p1", "proxy-1", "/orders/7").setProtocol(L7Protocol.L7_PROTOCOL_GRPC).setCid(42)
                .build();
        var row = BatchPreparer.row(c, "shop", "shop-pod-1", "c1", Captures.T0);
        ProducerRecord<String, byte[]> proto = new CaptureRecords("t", Format.PROTOBUF, JSON).of(row);
        ProducerRecord<String, byte[]> json = new CaptureRecords("t", Format.JSON, JSON).of(row);

        assertThat(proto.key()).isEqualTo("proxy-1/42").isEqualTo(json.key());
        assertThat(proto.value()).isSameAs(row.record());
        assertThat(Capture.parseFrom(proto.value())).isEqualTo(c);
        for (String name : new String[] {CaptureRecords.ID, CaptureRecords.APP_LABEL, CaptureRecords.L7PROTOCOL,
                CaptureRecords.POD_NAME, CaptureRecords.CLUSTER}) {
            assertThat(header(proto, name)).as(name).isEqualTo(header(json, name));
        }
        assertThat(header(proto, CaptureRecords.L7PROTOCOL)).isEqualTo("grpc");
        assertThat(header(proto, CaptureRecords.CONTENT_TYPE)).isEqualTo(CaptureRecords.PROTOBUF);
    }

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static JsonNode value(ProducerRecord<String, byte[]> record) throws Exception {
        return JSON.readTree(record.value());
    }
}
