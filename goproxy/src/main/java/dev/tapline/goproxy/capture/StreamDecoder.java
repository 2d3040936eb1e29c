package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;

import dev.tapline.goproxy.relay.Direction;

/**
 * A passive decoder of one connection's bytes (HTTP/1 today; HTTP/2 and TLS beside it), fed by the {@link CaptureTap}
 * and reporting to an {@link ExchangeListener}. It never influences the relay: no method throws, blocks or keeps a
 * caller's buffer. Not thread-safe: called on the connection's event loop.
 */
public interface StreamDecoder {

    /** Bytes relayed in {@code direction}; only valid during the call, read without moving their position. */
    void onBytes(Direction direction, ByteBuffer data);

    /** The side sending in {@code direction} half-closed. */
    void onEnd(Direction direction);

    /** Both sides are gone: flush whatever is pending. */
    void onConnectionClosed();

    /** Whether decoding stopped for good on input the decoder could not follow. */
    boolean gaveUp();
}
