package dev.tapline.goproxy.capture.http2;

/** The decoder cannot follow the connection any further; the message says why. Never leaves the package. */
class DecodeStopped extends RuntimeException {
    DecodeStopped(String reason) {
        super(reason, null, false, false);
    }
}
