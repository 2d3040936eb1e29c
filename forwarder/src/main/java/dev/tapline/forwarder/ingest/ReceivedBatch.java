package dev.tapline.forwarder.ingest;

import java.util.List;

import dev.tapline.capture.v1.UploadBatch;

/**
 * An upload batch as it came off the wire: the parsed message, and each capture's own bytes as received.
 * A capture that DLP and the forwarder leave unchanged is stored (and published) as those bytes, so the
 * forwarder never encodes it again; its parsed bodies alias them ({@code grpc.UploadBatchMarshaller}).
 *
 * @param batch   the parsed batch
 * @param records the i-th capture's message bytes, as received; null when not known (then each is encoded)
 */
public record ReceivedBatch(UploadBatch batch, List<byte[]> records) {

    /** A batch without its received bytes: every stored capture is encoded from the message. */
    public static ReceivedBatch of(UploadBatch batch) {
        return new ReceivedBatch(batch, null);
    }

    /** The i-th capture's bytes as received, or null. */
    public byte[] record(int i) {
        return records == null ? null : records.get(i);
    }

    /** The captures' bytes in all, as received (their encoded size when not known). */
    public long captureBytes() {
        long bytes = 0;
        for (int i = 0; i < batch.getCapturesCount(); i++) {
            byte[] r = record(i);
            bytes += r != null ? r.length : batch.getCaptures(i).getSerializedSize();
        }
        return bytes;
    }
}
