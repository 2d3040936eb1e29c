package dev.tapline.goproxy.capture;

import dev.tapline.capture.v1.Capture;

/**
 * A capture waiting in the {@link CaptureQueue}: made cheaply on the event loop, turned into its proto form only by
 * the uploader, off the relay's threads.
 */
public interface PendingCapture {

    /** About how much memory this capture holds (kept body bytes, header text, fixed overhead). */
    long sizeBytes();

    /** The wire form, with the id and proxy id the uploader assigns. */
    Capture toProto(String id, String proxyId);
}
