package dev.tapline.goproxy.capture.http2;

import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

import dev.tapline.goproxy.capture.DecoderFactory;
import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.H2cUpgrade;
import dev.tapline.goproxy.capture.HttpRequestRecord;
import dev.tapline.goproxy.capture.StreamDecoder;
import dev.tapline.goproxy.capture.WallClock;
import dev.tapline.goproxy.relay.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * A passive decoder of one HTTP/2 connection: it watches both directions and reports each stream as one
 * {@link dev.tapline.goproxy.capture.Http2StreamRecord}. It never answers, never holds the relayed buffers and never throws at the relay:
 * anything it cannot follow (a malformed frame, a header block HPACK cannot decode, too many streams) stops the
 * decoding of the connection for good, flushes the open streams and says so once through
 * {@link ExchangeListener#onGiveUp}; the bytes keep being relayed unchanged.
 *
 * <pre>
 *   client bytes ──▶ FrameInput(client) ──┐
 *                                          ├──▶ Streams ──stream done──▶ ExchangeListener#onStream
 *   app bytes    ──▶ FrameInput(app)    ──┘
 * </pre>
 *
 * The entry point for every way into HTTP/2: construct one when the connection is known to speak HTTP/2 from the
 * client's next byte on, which is then the 24-byte preface: prior knowledge (h2c), after a 101 answer to
 * {@code Upgrade: h2c}, or after ALPN chose {@code h2} on an unwrapped TLS connection.
 */
public final class Http2Decoder implements StreamDecoder {
    /**
     * Streams followed at once; beyond that decoding stops. What they hold together is bounded by
     * {@link Http2Limits#connectionBytes()}.
     */
    public static final int MAX_OPEN_STREAMS = 1024;

    private final ExchangeListener listener;
    private final Streams streams;
    private final FrameInput client;
    private final FrameInput app;
    private boolean stopped;

    /**
     * @param bodyCap            body bytes kept per message
     * @param maxHeaderListBytes most bytes of one decoded header block
     * @param clock              Unix epoch nanoseconds
     */
    public Http2Decoder(ExchangeListener listener, int bodyCap, long maxHeaderListBytes, LongSupplier clock) {
        this(listener, new Http2Limits(bodyCap, maxHeaderListBytes), clock, 0);
    }

    /** @param clock Unix epoch nanoseconds */
    public Http2Decoder(ExchangeListener listener, Http2Limits limits, LongSupplier clock) {
        this(listener, limits, clock, 0);
    }

    private Http2Decoder(ExchangeListener listener, Http2Limits limits, LongSupplier clock, long firstSequence) {
        this.listener = listener;
        ConnectionBudget budget = new ConnectionBudget(limits.connectionBytes());
        this.streams = new Streams(listener, limits.bodyCap(), MAX_OPEN_STREAMS, clock, firstSequence, budget);
        this.client = new FrameInput(true, streams, limits.maxHeaderListBytes(), budget);
        this.app = new FrameInput(false, streams, limits.maxHeaderListBytes(), budget);
        client.peer(app);
        app.peer(client);
    }

    /** Opens a decoder per HTTP/2 connection (prior knowledge). */
    public static DecoderFactory factory(int bodyCap, long maxHeaderListBytes) {
        return factory(new Http2Limits(bodyCap, maxHeaderListBytes));
    }

    /** Opens a decoder per HTTP/2 connection (prior knowledge). */
    public static DecoderFactory factory(Http2Limits limits) {
        return listener -> new Http2Decoder(listener, limits, WallClock::nowNanos);
    }

    /** Opens a decoder for a connection that a 101 to h2c upgraded, its stream 1 being the upgraded request. */
    public static H2cUpgrade upgradeFactory(Http2Limits limits) {
        return (listener, request, startNanos, firstSequence) -> upgraded(listener, limits, WallClock::nowNanos,
                request, startNanos, firstSequence);
    }

    /**
     * A decoder after a 101 to h2c: stream 1 is open with {@code request} as its request, and the settings the
     * client sent in its {@code HTTP2-Settings} field are in force, as they are for the app.
     */
    public static Http2Decoder upgraded(ExchangeListener listener, Http2Limits limits, LongSupplier clock,
            HttpRequestRecord request, long startNanos, long firstSequence) {
        Http2Decoder d = new Http2Decoder(listener, limits, clock, firstSequence);
        try {
            d.streams.upgraded(request, startNanos);
            Http2Settings settings = UpgradeSettings.parse(request.header("HTTP2-Settings"));
            if (settings != null) {
                d.client.onSettingsRead(null, settings);
            }
        } catch (Http2Exception | DecodeStopped e) {
            d.stop(e);
        }
        return d;
    }

    @Override
    public void onBytes(Direction direction, ByteBuffer data) {
        ByteBuf bytes = Unpooled.wrappedBuffer(data); // a view of the relayed bytes: no copy, position untouched
        if (direction == Direction.CLIENT_TO_APP) {
            onClientBytes(bytes);
        } else {
            onAppBytes(bytes);
        }
    }

    @Override
    public void onEnd(Direction direction) {
        // a half-close ends nothing in HTTP/2: streams end by END_STREAM or RST_STREAM, the connection by closing
    }

    @Override
    public boolean gaveUp() {
        return stopped;
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
    @Override
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
            stop(e);
        } catch (RuntimeException e) {
            giveUp("internal decoder error: " + e);
        }
    }

    private void stop(Exception e) {
        if (e instanceof ConnectionBudget.MemoryCapReached) {
            listener.onDecoderMemoryCap();
        }
        giveUp(e.getMessage());
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
