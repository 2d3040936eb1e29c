package dev.tapline.forwarder.grpc;

import static dev.tapline.forwarder.testing.Captures.batch;
import static dev.tapline.forwarder.testing.Captures.exchange;
import static dev.tapline.forwarder.testing.Captures.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.forwarder.ingest.ReceivedBatch;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Upload's own marshaller: the same batch as protobuf's parser, and each capture's bytes as they came. */
class UploadBatchMarshallerTest {
    private final UploadBatchMarshaller marshaller = new UploadBatchMarshaller();

    @Test
    void readsTheBatchAsProtobufDoesAndKeepsEachCapturesBytes() throws Exception {
        byte[] body = new byte[70_000];
        body[0] = 42;
        Capture big = exchange("m-1", "p-1", "GET", "/big", 200, body).build();
        // a field this forwarder does not know (a newer proxy's) stays in the stored record
        Capture newer = http("m-2", "p-1", "/new").setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build()).build();
        UploadBatch sent = batch(17, "p-1", List.of(big, newer)).toBuilder()
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(50, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("later")).addFixed64(1).addFixed32(2).build())
                        .build())
                .build();

        ReceivedBatch received = marshaller.parse(new ByteArrayInputStream(sent.toByteArray()));

        assertThat(received.batch().getBatchId()).isEqualTo(17);
        assertThat(received.batch().getProxyId()).isEqualTo("p-1");
        assertThat(received.batch().getCapturesList()).containsExactly(big, newer);
        assertThat(received.records()).hasSize(2);
        assertThat(received.record(0)).isEqualTo(big.toByteArray());
        assertThat(received.record(1)).isEqualTo(newer.toByteArray());
        assertThat(Capture.parseFrom(received.record(1)).getUnknownFields().hasField(99)).isTrue();
        assertThat(received.captureBytes()).isEqualTo(big.getSerializedSize() + newer.getSerializedSize());

        // the parsed body is the record's own bytes, not a copy of them
        byte[] record = received.record(0);
        int bodyAt = indexOf(record, body);
        record[bodyAt] = 43;
        assertThat(received.batch().getCaptures(0).getHttp().getResponse().getBody().byteAt(0)).isEqualTo((byte) 43);
    }

    @Test
    void anEmptyMessageIsAnEmptyBatch() {
        ReceivedBatch received = marshaller.parse(new ByteArrayInputStream(new byte[0]));

        assertThat(received.batch()).isEqualTo(UploadBatch.getDefaultInstance());
        assertThat(received.records()).isEmpty();
    }

    @Test
    void aMalformedMessageFailsTheCallAsGrpcsMarshallerDoes() {
        byte[] good = batch(1, "p-1", List.of(http("m-1", "p-1", "/").build())).toByteArray();
        byte[] cut = Arrays.copyOf(good, good.length - 3);
        byte[] badCapture = {0x1a, 0x02, (byte) 0xff, (byte) 0xff}; // captures: 2 bytes that are no Capture
        byte[] badUtf8 = {0x12, 0x01, (byte) 0xc3}; // proxy_id: half a UTF-8 character
        byte[] group = {0x0b}; // field 1 as a start-group: not proto3
        // captures: a length of 2^31 - 1 in a 6-byte message (allocated as claimed, it was an OutOfMemoryError)
        byte[] hugeLength = {0x1a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};

        for (byte[] bad : List.of(cut, badCapture, badUtf8, group, hugeLength)) {
            assertThatThrownBy(() -> marshaller.parse(new ByteArrayInputStream(bad)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                        assertThat(e.getStatus().getDescription()).isEqualTo("Invalid protobuf byte sequence");
                    });
        }
    }

    private static int indexOf(byte[] in, byte[] part) {
        for (int i = 0; i + part.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
