package dev.tapline.goproxy.capture.http2;

import java.util.function.LongSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * A passive decoder of one HTTP/2 connection: it watches both directions and reports each stream as one
 * {@link Http2StreamRecord}. It never answers, never holds the relayed buffers and never throws at the relay:
 * anything it cannot follow (a malformed frame, a header block HPACK cannot decode, too many streams) stops the
 * decoding of the connection for good, flushes the open streams and says so once through
 * {@link Http2StreamListener#onGiveUp}; the bytes keep being relayed unchanged.
 *
 * <pre>
 *   client bytes ──▶ FrameInput(client) ──┐
 *                                          ├──▶ Streams ──stream done──▶ Http2StreamListener
 *   app bytes    ──▶ FrameInput(app)    ──┘
 * </pre>
 *
 * The entry point for every way into HTTP/2: construct one when the connection is known to speak HTTP/2 from the
 * client's next byte on, which is then the 24-byte preface: prior knowledge (h2c), after a 101 answer to
 * {@code Upgrade: h2c}, or after ALPN chose {@code h2} on an unwrapped TLS connection.
 */
public final class Http2Decoder {
    /** Streams followed at once; beyond that decoding stops (each open stream holds up to two capped bodies). */
    public static final int MAX_OPEN_STREAMS = 1024;

    private final Http2StreamListener listener;
    private final Streams streams;
    private final FrameInput client;
    private final FrameInput app;
    private boolean stopped;

    /**
     * @param bodyCap            body bytes kept per message
     * @param maxHeaderListBytes most bytes of one decoded header block
     * @param clock              Unix epoch nanoseconds
     */
    public Http2Decoder(Http2StreamListener listener, int bodyCap, long maxHeaderListBytes, LongSupplier clock) {
        this.listener = listener;
        this.streams = new Streams(listener, bodyCap, MAX_OPEN_STREAMS, clock);
        this.client = new FrameInput(true, streams, maxHeaderListBytes);
        this.app = new FrameInput(false, streams, maxHeaderListBytes);
        client.peer(app);
        app.peer(client);
    }

    public void onClientBytes(ByteBuf bytes) {
        feed(client, bytes);
    }

    public void onAppBytes(ByteBuf bytes) {
        feed(app, bytes);
    }

    /** Whether decoding stopped (gave up or the connection ended): the caller may stop feeding. */
    public boolean stopped() {
        return stopped;
    }

    /** The connection is closed: streams still open are flushed as incomplete. */
    public void onConnectionClosed() {
        if (!stopped) {
            stopped = true;
            release();
            streams.endAll(false);
        }
    }

    private void feed(FrameInput input, ByteBuf bytes) {
        if (stopped) {
            return;
        }
        try {
            input.feed(bytes);
        } catch (Http2Exception | DecodeStopped e) {
            giveUp(e.getMessage());
        } catch (RuntimeException e) {
            giveUp("internal decoder error: " + e);
        }
    }

    private void giveUp(String reason) {
        stopped = true;
        release();
        streams.endAll(true);
        listener.onGiveUp(reason);
    }

    private void release() {
        client.release();
        app.release();
    }
}
