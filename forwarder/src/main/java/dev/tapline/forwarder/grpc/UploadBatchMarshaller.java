package dev.tapline.forwarder.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.UploadBatch;
import dev.tapline.forwarder.ingest.ReceivedBatch;
import io.grpc.MethodDescriptor;
import io.grpc.Status;

/**
 * Reads an {@code UploadBatch} off the wire with each capture copied once, into an array of its own, which then is
 * the record the store writes (or Kafka publishes) unless DLP changes the capture. The parsed capture's bodies alias
 * that array. gRPC's own marshaller copied each 64 KiB capture three times: the whole message into a buffer, each
 * body out of it while parsing, and the capture again when encoding it for the store
 * (docs/benchmarks/2026-12-03-forwarder-cpu-2.md).
 *
 * <pre>
 *   UploadBatch: 1 batch_id (varint) | 2 proxy_id (bytes) | 3 captures (bytes, repeated) | unknown fields: skipped
 * </pre>
 *
 * A malformed message fails the call as gRPC's marshaller does (INTERNAL, "Invalid protobuf byte sequence").
 */
final class UploadBatchMarshaller implements MethodDescriptor.Marshaller<ReceivedBatch> {
    private static final int BATCH_ID = 1;
    private static final int PROXY_ID = 2;
    private static final int CAPTURES = 3;

    @Override
    public InputStream stream(ReceivedBatch value) {
        return value.batch().toByteString().newInput(); // the server never sends one; for completeness
    }

    @Override
    public ReceivedBatch parse(InputStream stream) {
        try {
            return read(stream);
        } catch (IOException e) {
            throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence").withCause(e).asRuntimeException();
        }
    }

    static ReceivedBatch read(InputStream in) throws IOException {
        UploadBatch.Builder batch = UploadBatch.newBuilder();
        List<byte[]> records = new ArrayList<>();
        long tag;
        while ((tag = varint(in, true)) >= 0) {
            int field = (int) (tag >>> 3);
            if (field == 0) {
                throw new InvalidProtocolBufferException("field number 0");
            }
            int wireType = (int) (tag & 7);
            if (field == BATCH_ID && wireType == 0) {
                batch.setBatchId(varint(in, false));
            } else if (field == PROXY_ID && wireType == 2) {
                ByteString id = ByteString.copyFrom(bytes(in));
                if (!id.isValidUtf8()) {
                    throw new InvalidProtocolBufferException("proxy_id is not UTF-8");
                }
                batch.setProxyId(id.toStringUtf8());
            } else if (field == CAPTURES && wireType == 2) {
                byte[] record = bytes(in);
                batch.addCaptures(capture(record));
                records.add(record);
            } else {
                skip(in, wireType);
            }
        }
        return new ReceivedBatch(batch.build(), records);
    }

    /**
     * The capture, its bytes fields aliasing {@code record} (not copied). Aliasing needs an input protobuf takes for
     * immutable: {@code CodedInputStream.newInstance(byte[])} is not, and copies every body despite it.
     */
    private static Capture capture(byte[] record) throws IOException {
        CodedInputStream in = UnsafeByteOperations.unsafeWrap(record).newCodedInput();
        in.enableAliasing(true);
        return Capture.parseFrom(in);
    }

    private static void skip(InputStream in, int wireType) throws IOException {
        switch (wireType) {
            case 0 -> varint(in, false);
            case 1 -> skipFully(in, 8);
            case 2 -> skipFully(in, length(in));
            case 5 -> skipFully(in, 4);
            default -> throw new InvalidProtocolBufferException("wire type " + wireType + " is not one proto3 uses");
        }
    }

    private static byte[] bytes(InputStream in) throws IOException {
        int length = length(in);
        if (length > in.available()) {
            // a length the stream may not hold (garbage, or a stream that cannot tell): read what comes, in pieces,
            // rather than allocate what the length claims (up to 2 GiB)
            byte[] b = in.readNBytes(length);
            if (b.length < length) {
                throw new InvalidProtocolBufferException("the message ends inside a field");
            }
            return b;
        }
        byte[] b = new byte[length]; // gRPC's message streams know their size: one allocation, one copy
        int at = 0;
        while (at < b.length) {
            int n = in.read(b, at, b.length - at);
            if (n < 0) {
                throw new InvalidProtocolBufferException("the message ends inside a field");
            }
            at += n;
        }
        return b;
    }

    private static int length(InputStream in) throws IOException {
        long length = varint(in, false);
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw new InvalidProtocolBufferException("a length is negative");
        }
        return (int) length;
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new InvalidProtocolBufferException("the message ends inside a field");
                }
                skipped = 1;
            }
            n -= skipped;
        }
    }

    /** A base-128 varint; -1 at the end of the stream when {@code endOk} (between fields). */
    private static long varint(InputStream in, boolean endOk) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.read();
            if (b < 0) {
                if (endOk && shift == 0) {
                    return -1;
                }
                throw new InvalidProtocolBufferException("the message ends inside a field");
            }
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new InvalidProtocolBufferException("a varint is longer than 10 bytes");
    }
}
