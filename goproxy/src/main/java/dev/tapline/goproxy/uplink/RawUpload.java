package dev.tapline.goproxy.uplink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.UploadAck;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.netty.buffer.ByteBuf;

/**
 * The Forwarder/Upload RPC with a request marshaller that sends {@link OutgoingBatch}es as the bytes they already
 * are: on the wire exactly an {@code UploadBatch}, but never built as one. Acks are parsed as usual.
 */
final class RawUpload {
    static final MethodDescriptor<OutgoingBatch, UploadAck> METHOD = MethodDescriptor.<OutgoingBatch, UploadAck>newBuilder()
            .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(ForwarderGrpc.getUploadMethod().getFullMethodName())
            .setRequestMarshaller(new BatchMarshaller())
            .setResponseMarshaller(ProtoUtils.marshaller(UploadAck.getDefaultInstance()))
            .build();

    private RawUpload() {
    }

    private static final class BatchMarshaller implements MethodDescriptor.Marshaller<OutgoingBatch> {
        @Override
        public InputStream stream(OutgoingBatch batch) {
            return new BatchStream(batch);
        }

        @Override
        public OutgoingBatch parse(InputStream stream) {
            throw new UnsupportedOperationException("goproxy only sends upload batches");
        }
    }

    /** gRPC copies a {@link Drainable} of {@link KnownLength} straight into its frame, in one call. */
    private static final class BatchStream extends InputStream implements Drainable, KnownLength {
        private final OutgoingBatch batch;
        private int read;

        BatchStream(OutgoingBatch batch) {
            this.batch = batch;
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int rest = available();
            int headLeft = Math.max(0, batch.headLength() - read);
            target.write(batch.head(), batch.headLength() - headLeft, headLeft);
            int bodyFrom = read + headLeft - batch.headLength();
            ByteBuf entries = batch.captures().bytes();
            entries.getBytes(entries.readerIndex() + bodyFrom, target, entries.readableBytes() - bodyFrom);
            read = batch.size();
            return rest;
        }

        @Override
        public int available() {
            return batch.size() - read;
        }

        @Override
        public int read() {
            if (read >= batch.size()) {
                return -1;
            }
            int i = read++;
            ByteBuf entries = batch.captures().bytes();
            return (i < batch.headLength() ? batch.head()[i] : entries.getByte(entries.readerIndex() + i - batch.headLength()))
                    & 0xFF;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (read >= batch.size()) {
                return -1;
            }
            int n = 0;
            while (n < length && read < batch.size()) {
                int chunk;
                if (read < batch.headLength()) {
                    chunk = Math.min(length - n, batch.headLength() - read);
                    System.arraycopy(batch.head(), read, into, offset + n, chunk);
                } else {
                    int at = read - batch.headLength();
                    chunk = Math.min(length - n, batch.captures().length() - at);
                    ByteBuf entries = batch.captures().bytes();
                    entries.getBytes(entries.readerIndex() + at, into, offset + n, chunk);
                }
                n += chunk;
                read += chunk;
            }
            return n;
        }
    }
}
