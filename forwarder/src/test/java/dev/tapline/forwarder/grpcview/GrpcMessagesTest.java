package dev.tapline.forwarder.grpcview;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.capture.v1.Header;
import dev.tapline.capture.v1.HeartbeatRequest;
import dev.tapline.capture.v1.ProxyCounters;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;

/** gRPC bodies made by protobuf-java itself, split and decoded without their schema. */
class GrpcMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static byte[] framed(boolean compressed, byte[]... messages) {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        for (byte[] m : messages) {
            b.put((byte) (compressed ? 1 : 0)).putInt(m.length).put(m);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        }
        return out.toByteArray();
    }


    @Test
    void nestedMessagesStringsAndVarintsAreKeyedByFieldNumber() throws Exception {
        RegisterRequest req = RegisterRequest.newBuilder()
                .setProxy(ProxyIdentity.newBuilder().setProxyId("pod-1").setAppLabel("shop"))
                .setSentAtUnixNanos(1_764_144_000_123_456_789L).build();
        List<GrpcMessage> messages = GrpcMessages.split(framed(false, req.toByteArray()), false, null);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).sizeBytes()).isEqualTo(req.getSerializedSize());
        assertThat(messages.get(0).compressed()).isFalse();
        assertThat(messages.get(0).json()).isEqualTo(JSON.readTree(
                "{\"1\":{\"1\":\"pod-1\",\"2\":\"shop\"},\"2\":1764144000123456789}"));
    }

    @Test
    void repeatedFieldsBecomeArraysAndNegativeVarintsStayUnsigned() throws Exception {
        HeartbeatRequest hb = HeartbeatRequest.newBuilder().setProxyId("p")
                .setCounters(ProxyCounters.newBuilder().setConnectionsTotal(3).setBytesClientToApp(-1L))
                .setSentAtUnixNanos(-2).build();
        JsonNode json = GrpcMessages.split(framed(false, hb.toByteArray()), false, null).get(0).json();
        assertThat(json.get("2").get("3").asText()).isEqualTo("18446744073709551615");
        assertThat(json.get("3").asText()).isEqualTo("18446744073709551614");
        Header h = Header.newBuilder().setName("a").setValue("b").build();
        // two entries of one repeated field
        byte[] twice = dev.tapline.capture.v1.HttpRequest.newBuilder().addHeaders(h).addHeaders(h).build().toByteArray();
        JsonNode rep = GrpcMessages.split(framed(false, twice), false, null).get(0).json();
        assertThat(rep.get("4").isArray()).isTrue();
        assertThat(rep.get("4")).hasSize(2);
    }

    @Test
    void gzipAndDeflateMessagesAreInflatedForDisplay() throws Exception {
        byte[] plain = HeartbeatRequest.newBuilder().setProxyId("compressed-proxy").build().toByteArray();
        GrpcMessage gz = GrpcMessages.split(framed(true, gzip(plain)), false, "gzip").get(0);
        assertThat(gz.compressed()).isTrue();
        assertThat(gz.json().get("1").asText()).isEqualTo("compressed-proxy");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(plain);
        }
        assertThat(GrpcMessages.split(framed(true, out.toByteArray()), false, "deflate").get(0).json().get("1").asText())
                .isEqualTo("compressed-proxy");
        assertThat(GrpcMessages.split(framed(true, gzip(plain)), false, "snappy").get(0).json()).isNull();
    }

    @Test
    void aMessageCutByTheCaptureCapIsListedTruncatedWithoutJson() {
        byte[] one = HeartbeatRequest.newBuilder().setProxyId("first").build().toByteArray();
        byte[] two = HeartbeatRequest.newBuilder().setProxyId("second-one").build().toByteArray();
        byte[] body = framed(false, one, two);
        List<GrpcMessage> messages = GrpcMessages.split(java.util.Arrays.copyOf(body, body.length - 3), true, null);
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).json().get("1").asText()).isEqualTo("first");
        assertThat(messages.get(1).truncated()).isTrue();
        assertThat(messages.get(1).sizeBytes()).isEqualTo(two.length);
        assertThat(messages.get(1).json()).isNull();
    }

    @Test
    void bytesThatAreNeitherMessageNorTextAreBase64() {
        byte[] notProto = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        GrpcMessage m = GrpcMessages.split(framed(false, notProto), false, null).get(0);
        assertThat(m.json()).isNull();
        assertThat(m.base64()).isEqualTo("////");
        // a length-delimited field holding such bytes is base64 inside the message
        byte[] field = {0x0A, 0x03, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThat(SchemalessProtobuf.decode(field).get("1").asText()).isEqualTo("////");
    }
}
