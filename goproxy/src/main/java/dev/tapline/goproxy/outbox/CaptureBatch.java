package dev.tapline.goproxy.outbox;

import io.netty.buffer.ByteBuf;

/**
 * A sealed batch: the encoded {@code UploadBatch.captures} entries of up to a batch's worth of captures. The
 * uploader adds the batch id and proxy id in front when it sends it; resends send the same bytes again.
 *
 * <p>The bytes live off the Java heap, in a pooled direct buffer: batches wait for the forwarder for tens to
 * hundreds of milliseconds, and on the heap every young collection copied them (with large bodies, long pauses
 * on the relay's thread; BENCHMARKS.md has the figures). Released exactly once, by whoever ends the batch:
 * the uploader when the forwarder acked it or at shutdown, the queue when it discards it.
 *
 * @param bytes the encoded entries, its readable bytes; never changed once sealed
 * @param records how many captures
 */
public record CaptureBatch(ByteBuf bytes, int records) {

    /** How many bytes the entries take. */
    public int length() {
        return bytes.readableBytes();
    }

    /** The batch is done with (acked or dropped): its memory goes back to the pool. */
    public void release() {
        bytes.release();
    }
}
