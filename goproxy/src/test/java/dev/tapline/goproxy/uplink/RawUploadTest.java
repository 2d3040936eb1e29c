package dev.tapline.goproxy.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.goproxy.outbox.CaptureBatch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

class RawUploadTest {
    private static final byte[] PROXY = "pod-ü".getBytes(StandardCharsets.UTF_8);

    private static OutgoingBatch batch(long id) {
        byte[] captures = UploadBatch.newBuilder().addCaptures(Capture.newBuilder().setId("a").setSequence(1))
                .addCaptures(Capture.newBuilder().setId("b").setSequence(2)).build().toByteArray();
        // a direct buffer whose readable bytes start past its first byte, as a pooled buffer's may
        ByteBuf entries = Unpooled.directBuffer(captures.length + 107).writerIndex(7).readerIndex(7).writeBytes(captures);
        return OutgoingBatch.of(id, PROXY, new CaptureBatch(entries, 2));
    }

    @Test
    void whatGrpcDrainsIsAnUploadBatchWithIdProxyAndCaptures() throws Exception {
        InputStream in = RawUpload.METHOD.streamRequest(batch(300));
        assertThat(in.available()).isEqualTo(batch(300).size());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(((io.grpc.Drainable) in).drainTo(out)).isEqualTo(batch(300).size());
        UploadBatch parsed = UploadBatch.parseFrom(out.toByteArray());
        assertThat(parsed.getBatchId()).isEqualTo(300);
        assertThat(parsed.getProxyId()).isEqualTo("pod-ü");
        assertThat(parsed.getCapturesList()).extracting(Capture::getId).containsExactly("a", "b");
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void readingByteByByteOrInOddChunksGivesTheSameBytes() throws Exception {
        ByteArrayOutputStream drained = new ByteArrayOutputStream();
        ((io.grpc.Drainable) RawUpload.METHOD.streamRequest(batch(1))).drainTo(drained);

        InputStream single = RawUpload.METHOD.streamRequest(batch(1));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = single.read(); b >= 0; b = single.read()) {
            bytes.write(b);
        }
        assertThat(bytes.toByteArray()).isEqualTo(drained.toByteArray());

        InputStream chunked = RawUpload.METHOD.streamRequest(batch(1));
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        byte[] buf = new byte[3];
        for (int n = chunked.read(buf, 0, 3); n > 0; n = chunked.read(buf, 0, 3)) {
            chunks.write(buf, 0, n);
        }
        assertThat(chunks.toByteArray()).isEqualTo(drained.toByteArray());
    }
}
