package dev.tapline.goproxy.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.tapline.capture.v1.Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * A nested message's length slot, whatever the size hint: the bytes must be protobuf-java's canonical ones for
 * lengths on both sides of each varint width (128, 16384, 2 MiB), with hints that are right, too small and too
 * large, and with the message not at the start of the buffer (as in a batch). Likewise the one-pass writer of
 * ASCII {@code Header} messages, on both sides of where its lengths stop fitting in one byte.
 */
class ProtoWriterTest {
    private static final int[] LENGTHS = {0, 1, 127, 128, 129, 16383, 16384, 16385, (1 << 21) - 1, 1 << 21};
    private static final long[] HINTS = {-1, 0, 100, 127, 128, 5_000, 16383, 16384, 100_000, 3_000_000, 1L << 40};

    @Test
    void messageBytesAreCanonicalWhateverTheHint() throws IOException {
        for (int length : LENGTHS) {
            byte[] content = new byte[length];
            for (int i = 0; i < length; i++) {
                content[i] = (byte) (i * 31 + 7);
            }
            byte[] expected = canonical(content);
            for (long hint : HINTS) {
                ProtoWriter w = new ProtoWriter(16);
                w.varintField(1, 300); // something before the message
                int m = w.beginMessage(3, hint);
                w.raw(content, 0, length);
                w.endMessage(m);
                w.varintField(2, 5); // something after it
                assertThat(Arrays.copyOf(w.array(), w.position())).as("length %d, hint %d", length, hint)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void nestedMessagesWithWrongHintsStillCanonical() throws IOException {
        byte[] content = new byte[20_000];
        Arrays.fill(content, (byte) 0x80); // bytes that look like varint continuation bytes
        ProtoWriter w = new ProtoWriter(64);
        int outer = w.beginMessage(3, 10); // too small: 20,000+ needs three bytes
        int inner = w.beginMessage(3, 1_000_000); // too large
        w.raw(content, 0, content.length);
        w.endMessage(inner);
        w.endMessage(outer);

        ByteArrayOutputStream innerBytes = new ByteArrayOutputStream();
        CodedOutputStream innerOut = CodedOutputStream.newInstance(innerBytes);
        innerOut.writeBytes(3, ByteString.copyFrom(content));
        innerOut.flush();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(expected);
        out.writeBytes(3, ByteString.copyFrom(innerBytes.toByteArray()));
        out.flush();
        assertThat(Arrays.copyOf(w.array(), w.position())).isEqualTo(expected.toByteArray());
    }

    /**
     * Long bytes values are kept by reference and copied only when the writer moves its bytes out: each must land in
     * its place, inside messages whose length slots were too small (their bytes moved) or too large, on both sides
     * of the length from which values are kept; the writer is empty afterwards and writes the next capture alike.
     */
    @Test
    void valuesKeptByReferenceLandInTheirPlacesWhateverTheHints() throws IOException {
        int keep = ProtoWriter.KEEP_BY_REFERENCE;
        ProtoWriter w = new ProtoWriter(16);
        for (int length : new int[] {keep - 1, keep, 16_383, 16_384, 70_000}) {
            byte[] first = pattern(length, 1);
            byte[] second = pattern(length + 5, 2);
            byte[] last = pattern(length, 3);
            for (long hint : new long[] {0, 2L * length + 20, 1L << 40}) {
                int outer = w.beginMessage(1, hint);
                w.varintField(1, 7);
                int inner = w.beginMessage(2, hint);
                w.bytesField(3, ByteBuffer.wrap(first).asReadOnlyBuffer());
                w.varintField(4, 300);
                w.bytesField(5, ByteBuffer.wrap(second));
                w.endMessage(inner);
                w.varintField(6, 1);
                w.endMessage(outer);
                w.bytesField(7, ByteBuffer.wrap(last));
                int position = w.position();
                ByteBuf out = Unpooled.directBuffer();
                out.writeByte(0x2A); // as in a batch: after other captures
                w.moveTo(out);

                byte[] expected = keptReference(first, second, last);
                assertThat(out.readableBytes()).isEqualTo(1 + position);
                assertThat(ByteBufUtil.getBytes(out, 1, position)).as("length %d, hint %d", length, hint)
                        .isEqualTo(expected);
                assertThat(w.position()).as("emptied").isZero();
                out.release();
            }
        }
    }

    private static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] keptReference(byte[] first, byte[] second, byte[] last) throws IOException {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        CodedOutputStream in = CodedOutputStream.newInstance(inner);
        in.writeBytes(3, ByteString.copyFrom(first));
        in.writeUInt64(4, 300);
        in.writeBytes(5, ByteString.copyFrom(second));
        in.flush();
        ByteArrayOutputStream outer = new ByteArrayOutputStream();
        CodedOutputStream mid = CodedOutputStream.newInstance(outer);
        mid.writeUInt64(1, 7);
        mid.writeBytes(2, ByteString.copyFrom(inner.toByteArray()));
        mid.writeUInt64(6, 1);
        mid.flush();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(all);
        out.writeBytes(1, ByteString.copyFrom(outer.toByteArray()));
        out.writeBytes(7, ByteString.copyFrom(last));
        out.flush();
        return all.toByteArray();
    }

    private static byte[] canonical(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeUInt64(1, 300);
        out.writeBytes(3, ByteString.copyFrom(content));
        out.writeUInt64(2, 5);
        out.flush();
        return bytes.toByteArray();
    }

    @Test
    void asciiHeadersAreTheBytesProtobufWritesForHeaderMessagesOnBothSidesOfOneByteLengths() throws IOException {
        // the one-byte path ends where the Header's own length reaches 128 (name + value + 4 tag/length bytes);
        // field 16 needs a two-byte tag
        int[] lengths = {0, 1, 5, 60, 61, 62, 63, 122, 123, 124, 125, 127, 128, 300};
        for (int field : new int[] {4, 8, 15, 16}) {
            for (int nameLength : lengths) {
                for (int valueLength : lengths) {
                    byte[] src = new byte[3 + nameLength + valueLength]; // not at the start of the array
                    for (int i = 0; i < src.length; i++) {
                        src[i] = (byte) ('a' + i % 26);
                    }
                    int nameFrom = 3;
                    int valueFrom = nameFrom + nameLength;
                    ProtoWriter w = new ProtoWriter(16);
                    w.varintField(1, 300);
                    w.asciiHeader(field, src, nameFrom, valueFrom, valueFrom, valueFrom + valueLength);
                    w.varintField(2, 5);

                    Header header = Header.newBuilder()
                            .setName(new String(src, nameFrom, nameLength, StandardCharsets.US_ASCII))
                            .setValue(new String(src, valueFrom, valueLength, StandardCharsets.US_ASCII))
                            .build();
                    ByteArrayOutputStream expected = new ByteArrayOutputStream();
                    CodedOutputStream out = CodedOutputStream.newInstance(expected);
                    out.writeUInt64(1, 300);
                    out.writeMessage(field, header);
                    out.writeUInt64(2, 5);
                    out.flush();
                    assertThat(Arrays.copyOf(w.array(), w.position()))
                            .as("field %d, name %d bytes, value %d bytes", field, nameLength, valueLength)
                            .isEqualTo(expected.toByteArray());
                }
            }
        }
    }
}
