package dev.tapline.goproxy.capture.http2;

/**
 * What one connection's HTTP/2 decoder may hold at once: the kept body bytes and decoded header fields of its open
 * streams, and the frame cut by a read that waits for its end. Charged as they grow, given back when a stream is
 * captured or a frame is read; going over stops the decoding of the connection (the relay carries on), so that a
 * client opening many streams with large bodies and headers cannot make goproxy hold more than this per connection.
 */
final class ConnectionBudget {
    /** What HPACK counts for each header field on top of its name and value (RFC 7541 §4.1). */
    static final int FIELD_OVERHEAD = 32;

    private final long limit;
    private long used;

    ConnectionBudget(long limit) {
        this.limit = limit;
    }

    void charge(long bytes) {
        used += bytes;
        if (used > limit) {
            throw new MemoryCapReached(limit);
        }
    }

    /** Whether {@code bytes} more can be charged without going over: for what may be held or not, as a hint. */
    boolean fits(long bytes) {
        return used + bytes <= limit;
    }

    void release(long bytes) {
        used -= bytes;
    }

    long used() {
        return used;
    }

    /** The decoder went over its budget: decoding of the connection stops. */
    static final class MemoryCapReached extends DecodeStopped {
        MemoryCapReached(long limit) {
            super("the HTTP/2 decoder would hold more than CAPTURE_H2_CONNECTION_BYTES (" + limit
                    + " bytes) for this connection");
        }
    }
}
