package dev.tapline.goproxy.uplink;

import dev.tapline.goproxy.outbox.CaptureBatch;
import dev.tapline.goproxy.outbox.ProtoWriter;


/**
 * One {@code UploadBatch} as sent: its id and proxy id, encoded once, in front of the batch's already-encoded
 * captures (protobuf does not mind the order of fields). Resends reuse it unchanged.
 */
record OutgoingBatch(long batchId, byte[] head, int headLength, CaptureBatch captures) {

    static OutgoingBatch of(long batchId, byte[] proxyId, CaptureBatch captures) {
        ProtoWriter w = new ProtoWriter(16 + proxyId.length);
        w.varintField(1, batchId); // UploadBatch.batch_id
        w.bytesField(2, proxyId, 0, proxyId.length); // UploadBatch.proxy_id
        return new OutgoingBatch(batchId, w.array(), w.position(), captures);
    }

    int size() {
        return headLength + captures.length();
    }
}
