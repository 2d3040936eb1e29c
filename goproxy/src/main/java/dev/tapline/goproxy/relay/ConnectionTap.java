package dev.tapline.goproxy.relay;

import io.netty.buffer.ByteBuf;

/**
 * A read-only side branch on one relayed connection (the capture). Every method runs on the connection's event
 * loop, before the bytes are forwarded, and must be quick: it may copy what it keeps but must never keep,
 * release or move the reader index of the {@link ByteBuf}, never block and never throw.
 */
public interface ConnectionTap {
    ConnectionTap NONE = new ConnectionTap() {
    };

    default void onBytes(Direction direction, ByteBuf bytes) {
    }

    /** The sender of this direction half-closed (FIN): no more bytes will come that way. */
    default void onEnd(Direction direction) {
    }

    /** Both sockets are closed. Called once. */
    default void onClosed() {
    }
}
