package dev.tapline.forwarder.ingest;

import dev.tapline.capture.v1.Capture;

/**
 * What happens to a valid record before it is stored: with WITH_DLP=true, sensitive values are replaced
 * (see {@code dev.tapline.forwarder.dlp}); otherwise {@link #NONE} keeps the record as it came.
 *
 * <p>Called from several preparing threads at once: implementations are thread-safe.
 */
public interface CaptureRedaction {

    /** Keeps every record as it is. */
    CaptureRedaction NONE = new CaptureRedaction() {
        @Override
        public Capture apply(Capture capture) {
            return capture;
        }

        @Override
        public long redactions() {
            return 0;
        }

        @Override
        public String describe() {
            return "DLP is not configured, skipping";
        }
    };

    /** The record to store: the same instance when nothing was replaced. */
    Capture apply(Capture capture);

    /** Values replaced so far, all kinds together. */
    long redactions();

    /** The start line saying what is applied, e.g. {@code DLP enabled with rules "standard": 8 headers, ...}. */
    String describe();
}
