package dev.tapline.goproxy.capture.http1;

import dev.tapline.goproxy.capture.BodyBuffer;

import java.nio.ByteBuffer;

/**
 * Holds back the client bytes that follow a CONNECT or Upgrade request until the app answers
 * it: they are the new protocol if the app switches, or the next requests if it declines
 * (RFC 9110 §7.8, §9.3.6). Bounded like a head, since nothing has been understood of them yet.
 */
final class ProtocolSwitchHold {

    private final int maxBytes;
    private PendingExchange waitingFor;
    private BodyBuffer bytes;
    private long sinceNanos;

    ProtocolSwitchHold(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Starts holding client bytes until {@code exchange} gets its final response. */
    void holdUntilAnswered(PendingExchange exchange) {
        waitingFor = exchange;
    }

    boolean isHolding() {
        return waitingFor != null;
    }

    boolean isWaitingFor(PendingExchange exchange) {
        return waitingFor == exchange;
    }

    void append(ByteBuffer src, int from, int to, long nowNanos) throws HttpDecodeException {
        if (bytes == null) {
            bytes = new BodyBuffer(maxBytes, -1);
            sinceNanos = nowNanos;
        }
        bytes.append(src, from, to - from);
        if (bytes.truncated()) {
            throw new HttpDecodeException("more than " + maxBytes + " client bytes before the answer to a protocol switch");
        }
    }

    /** When the first held byte arrived. */
    long sinceNanos() {
        return sinceNanos;
    }

    /** Stops holding and returns the held bytes, or {@code null} when there are none. */
    ByteBuffer release() {
        waitingFor = null;
        if (bytes == null) {
            return null;
        }
        ByteBuffer held = ByteBuffer.wrap(bytes.toArray());
        bytes = null;
        return held;
    }

    /** Stops holding and drops the held bytes. */
    void clear() {
        waitingFor = null;
        bytes = null;
    }
}
