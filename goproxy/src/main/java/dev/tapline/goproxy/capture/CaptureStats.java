package dev.tapline.goproxy.capture;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what happened to captures, from decoding to the forwarder's ack. */
public final class CaptureStats {
    /** Records made by the decoders (HTTP exchanges and connection summaries). */
    public final LongAdder produced = new LongAdder();
    /** Records sent on the upload stream (resends included). */
    public final LongAdder sent = new LongAdder();
    /** Records the forwarder acked as stored or already stored. */
    public final LongAdder acked = new LongAdder();
    /** Records the forwarder refused for good. */
    public final LongAdder rejected = new LongAdder();
    /** Dropped because the queue was full (the forwarder is slow or down). */
    public final LongAdder droppedQueueFull = new LongAdder();
    /** Dropped at shutdown because they could not be flushed in time. */
    public final LongAdder droppedShutdown = new LongAdder();
    /** Connections whose HTTP decoding stopped on malformed or unsupported input. */
    public final LongAdder decoderGiveUps = new LongAdder();
    /** Of those, HTTP/2 connections whose decoder reached CAPTURE_H2_CONNECTION_BYTES. */
    public final LongAdder decoderMemoryCapped = new LongAdder();

    public long droppedTotal() {
        return droppedQueueFull.sum() + droppedShutdown.sum();
    }
}
