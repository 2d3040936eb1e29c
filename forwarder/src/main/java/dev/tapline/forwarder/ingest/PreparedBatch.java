package dev.tapline.forwarder.ingest;

import java.util.List;

import dev.tapline.capture.v1.Rejection;
import dev.tapline.capture.v1.UploadAck;
import dev.tapline.forwarder.store.SinkOutcome;
import dev.tapline.forwarder.store.StoredCapture;

/** A batch after validation and DLP: the rows to store and the records refused, ready to become an ack. */
public record PreparedBatch(long batchId, List<StoredCapture> rows, List<Rejection> rejections) {

    /** The ack for this batch, given the store's outcome for each row. */
    public UploadAck ack(List<SinkOutcome> outcomes) {
        int stored = 0;
        int duplicates = 0;
        for (SinkOutcome o : outcomes) {
            if (o == SinkOutcome.STORED) {
                stored++;
            } else {
                duplicates++;
            }
        }
        return UploadAck.newBuilder().setBatchId(batchId).setStored(stored).setDuplicates(duplicates)
                .addAllRejections(rejections).build();
    }
}
