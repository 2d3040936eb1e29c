package dev.tapline.goproxy.relay;

import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.net.impl.NetSocketInternal;

/**
 * One direction of a {@link Relay}: bytes read from {@code from} are shown to the tap, then written unchanged to
 * {@code to}.
 *
 * <pre>
 *   from ──ByteBuf──▶ tap.onBytes (copies what it keeps) ──▶ to.writeMessage (takes ownership, no copy)
 *      ▲                                                        │ write queue full
 *      └──── autoRead off ◀─────────────────────────────────────┘ drain ⇒ autoRead on
 * </pre>
 *
 * The raw Netty buffers are forwarded as they were read (no copy into Vert.x Buffers); backpressure switches
 * reading from {@code from} off while {@code to} cannot take more. A half-close (FIN) of {@code from} becomes a
 * shutdown of {@code to}'s output once everything before it was written.
 */
final class Pipe {
    private final Direction direction;
    private final NetSocketInternal from;
    private final NetSocketInternal to;
    private final Channel fromChannel;
    private final ConnectionTap tap;
    private final LongAdder bytes;
    private final IdleCheck idle;
    private boolean ended;
    /** Bytes relayed so far this way (the relay asks whether the app answered anything at all). */
    private long relayed;

    Pipe(Direction direction, NetSocketInternal from, NetSocketInternal to, ConnectionTap tap, RelayStats stats,
            IdleCheck idle) {
        this.direction = direction;
        this.from = from;
        this.to = to;
        this.fromChannel = from.channelHandlerContext().channel();
        this.tap = tap;
        this.bytes = stats.bytes(direction);
        this.idle = idle;
    }

    /** Bytes (or other messages) read from {@code from}. */
    void onMessage(Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        idle.onRead();
        bytes.add(buf.readableBytes());
        relayed += buf.readableBytes();
        try {
            tap.onBytes(direction, buf);
        } catch (RuntimeException e) {
            // the capture is a side branch: its failure must never break the relay
        }
        to.writeMessage(buf, null);
        if (to.writeQueueFull()) {
            fromChannel.config().setAutoRead(false);
        }
    }

    /** Lets {@code from} read, resuming whenever {@code to} drained. */
    void start() {
        to.drainHandler(v -> {
            if (!ended) {
                fromChannel.config().setAutoRead(true);
            }
        });
        if (!to.writeQueueFull()) {
            fromChannel.config().setAutoRead(true);
        }
    }

    /**
     * {@code from} half-closed: pass the FIN on after the bytes already written. When the other direction has
     * ended already, both sockets are simply closed: Vert.x flushes what is queued before closing, and as both
     * inputs were read to their end, the close sends a FIN, not a reset. That saves a shutdown(2) and the
     * exception, stack trace included, that Netty creates for every output shutdown.
     */
    void onInputShutdown(boolean otherEnded, Runnable whenBothEnded) {
        if (ended) {
            return;
        }
        ended = true;
        // Nothing more can be read. Without this, Netty re-arms EPOLLIN after the end of the input, wakes up to
        // read the end again and disarms it: two epoll_ctl(2) per direction for nothing.
        fromChannel.config().setAutoRead(false);
        try {
            tap.onEnd(direction);
        } catch (RuntimeException e) {
            // see onMessage()
        }
        if (otherEnded) {
            whenBothEnded.run();
            return;
        }
        to.writeMessage(Unpooled.EMPTY_BUFFER).onComplete(ar -> {
            Channel toChannel = to.channelHandlerContext().channel();
            if (ar.succeeded() && toChannel instanceof DuplexChannel duplex && toChannel.isActive()) {
                duplex.shutdownOutput();
            }
            whenBothEnded.run();
        });
    }

    boolean ended() {
        return ended;
    }

    long relayed() {
        return relayed;
    }
}
