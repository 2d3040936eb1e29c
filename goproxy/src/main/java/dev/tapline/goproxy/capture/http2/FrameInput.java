package dev.tapline.goproxy.capture.http2;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * One direction of an HTTP/2 connection: its own frame reader and HPACK decoder (Netty's), fed the relayed bytes.
 *
 * <pre>
 *   relayed bytes ──▶ [client: skip the 24-byte preface] ──▶ whole frames ──▶ DefaultHttp2FrameReader ──▶ Streams
 *                                                        └─▶ a partial last frame: copied, completed by the next read
 * </pre>
 *
 * The reader is only ever given whole frames, read straight from the relayed buffer through a duplicate (so the
 * relay's indices never move). A DATA frame cut by a read is not held: its payload goes to its stream piece by
 * piece as the reads bring it (a body is copied once, into its stream's array, whatever the reads); only the tail
 * of another frame cut by a read is copied, so at most one frame per direction is held. SETTINGS are applied to the
 * peer's input, whose frames they govern.
 *
 * <pre>
 *   read 1: [frame][frame][DATA hdr|payload...      read 2: ...payload][frame]...
 *                          └─ header parsed here,           └─ the rest, to the same stream; END_STREAM with
 *                             the payload's first part         the frame's last byte
 *                             to its stream
 * </pre>
 */
final class FrameInput extends Http2FrameAdapter {
    static final int FRAME_HEADER_LENGTH = 9;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * The reader wants a handler context only to allocate the buffer that joins a HEADERS frame with its
     * CONTINUATIONs (and to pass it back to us): a context of a channel that never runs serves all connections.
     */
    private static final ChannelHandlerContext CONTEXT =
            new EmbeddedChannel(new ChannelInboundHandlerAdapter()).pipeline().firstContext();

    private final boolean client;
    private final Streams streams;
    private final DefaultHttp2HeadersDecoder hpack;
    private final DefaultHttp2FrameReader reader;
    private FrameInput peer;
    private int prefaceMatched;
    private ByteBuf pending;
    /** What {@link #pending} has charged to the connection's budget. */
    private long pendingCharged;
    private final ConnectionBudget budget;
    /** A DATA frame cut by a read: payload bytes still to come to {@link #dataStream}, then padding to skip. */
    private int dataLeft;
    private int padLeft;
    private int dataStream;
    private boolean dataEndsStream;
    /** The last frame began a header block that CONTINUATION frames must end: a DATA frame now is the reader's error. */
    private boolean inHeaderBlock;

    /**
     * @param client             whether these are the client's frames (which start with the preface)
     * @param maxHeaderListBytes most bytes of one decoded header block
     */
    FrameInput(boolean client, Streams streams, long maxHeaderListBytes, ConnectionBudget budget) {
        this.budget = budget;
        this.client = client;
        this.streams = streams;
        this.prefaceMatched = client ? 0 : PREFACE.length;
        this.hpack = FlatHeaders.decoder(maxHeaderListBytes);
        this.reader = new DefaultHttp2FrameReader(hpack);
    }

    void peer(FrameInput peer) {
        this.peer = peer;
    }

    void feed(ByteBuf relayed) throws Http2Exception {
        ByteBuf in = relayed.duplicate();
        if (prefaceMatched < PREFACE.length && !skipPreface(in)) {
            return;
        }
        if (dataLeft + padLeft > 0 && !continueData(in)) {
            return;
        }
        if (pending != null && !completePending(in)) {
            return;
        }
        int whole = wholeFrames(in);
        if (whole > 0) {
            reader.readFrame(CONTEXT, in.readSlice(whole), this);
        }
        if (in.isReadable() && !startData(in)) {
            // sized for the whole frame once its header is in, so that completing it copies into no second array
            int size = in.readableBytes() < FRAME_HEADER_LENGTH ? FRAME_HEADER_LENGTH
                    : FRAME_HEADER_LENGTH + payloadLength(in, in.readerIndex());
            chargePending(size);
            pending = Unpooled.buffer(size);
            pending.writeBytes(in);
        }
    }

    /** Checks and skips the client preface; false while it is not all there yet. */
    private boolean skipPreface(ByteBuf in) {
        while (prefaceMatched < PREFACE.length && in.isReadable()) {
            if (in.readByte() != PREFACE[prefaceMatched++]) {
                throw new DecodeStopped("the client did not start with the HTTP/2 preface");
            }
        }
        return prefaceMatched == PREFACE.length;
    }

    /** Adds just the bytes that complete the frame cut by an earlier read, and reads it once whole. */
    private boolean completePending(ByteBuf in) throws Http2Exception {
        if (pending.readableBytes() < FRAME_HEADER_LENGTH) {
            pending.writeBytes(in, Math.min(FRAME_HEADER_LENGTH - pending.readableBytes(), in.readableBytes()));
            if (pending.readableBytes() < FRAME_HEADER_LENGTH) {
                return false;
            }
        }
        int frameLength = FRAME_HEADER_LENGTH + payloadLength(pending, pending.readerIndex());
        chargePending(frameLength); // before the buffer grows to hold the whole frame
        if (pending.capacity() < frameLength) {
            pending.capacity(frameLength); // the header was cut: only the few bytes before it move
        }
        pending.writeBytes(in, Math.min(frameLength - pending.readableBytes(), in.readableBytes()));
        if (pending.readableBytes() < frameLength) {
            return false;
        }
        noteFrame(pending, pending.readerIndex());
        ByteBuf frame = pending;
        pending = null;
        budget.release(pendingCharged);
        pendingCharged = 0;
        try {
            reader.readFrame(CONTEXT, frame, this);
        } finally {
            frame.release();
        }
        return true;
    }

    /** How many bytes at the start of {@code in} are whole frames. */
    private int wholeFrames(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int at = start;
        while (end - at >= FRAME_HEADER_LENGTH) {
            int next = at + FRAME_HEADER_LENGTH + payloadLength(in, at);
            if (next > end) {
                break;
            }
            noteFrame(in, at);
            at = next;
        }
        return at - start;
    }

    /**
     * Starts passing on a DATA frame cut by this read (the rest of {@code in}): its header is parsed here and its
     * payload's first part goes to its stream now. False, and the frame is held as any other, when its header (or
     * its pad length) is not all in, or when the reader would refuse it (stream 0, padding longer than the payload,
     * inside a header block): it then says why once the frame is whole.
     */
    private boolean startData(ByteBuf in) {
        int at = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < FRAME_HEADER_LENGTH || in.getByte(at + 3) != Http2FrameTypes.DATA || inHeaderBlock) {
            return false;
        }
        int payload = payloadLength(in, at);
        short flags = in.getUnsignedByte(at + 4);
        int stream = in.getInt(at + 5) & 0x7FFF_FFFF;
        boolean padded = (flags & Http2Flags.PADDED) != 0;
        if (stream == 0 || padded && readable == FRAME_HEADER_LENGTH) {
            return false;
        }
        int padding = padded ? in.getUnsignedByte(at + FRAME_HEADER_LENGTH) : 0;
        int dataBytes = payload - (padded ? 1 + padding : 0);
        if (dataBytes < 0) {
            return false;
        }
        in.skipBytes(FRAME_HEADER_LENGTH + (padded ? 1 : 0));
        dataStream = stream;
        dataEndsStream = (flags & Http2Flags.END_STREAM) != 0;
        dataLeft = dataBytes;
        padLeft = padding;
        continueData(in);
        return true;
    }

    /**
     * Passes on what {@code in} holds of the cut DATA frame's payload, skipping its padding; true once the frame is
     * all in. The stream sees END_STREAM with the frame's last piece, as it would with the whole frame.
     */
    private boolean continueData(ByteBuf in) {
        int n = Math.min(dataLeft, in.readableBytes());
        ByteBuf piece = in.readSlice(n);
        dataLeft -= n;
        int skipped = Math.min(padLeft, in.readableBytes());
        in.skipBytes(skipped);
        padLeft -= skipped;
        boolean last = dataLeft + padLeft == 0;
        if (n > 0 || last && dataEndsStream) {
            streams.data(client, dataStream, piece, last && dataEndsStream);
        }
        return last;
    }

    /** Follows header blocks across frames: HEADERS or PUSH_PROMISE without END_HEADERS opens one, its end closes it. */
    private void noteFrame(ByteBuf buf, int frameStart) {
        byte type = buf.getByte(frameStart + 3);
        if (type == Http2FrameTypes.HEADERS || type == Http2FrameTypes.PUSH_PROMISE
                || type == Http2FrameTypes.CONTINUATION) {
            inHeaderBlock = (buf.getByte(frameStart + 4) & Http2Flags.END_HEADERS) == 0;
        }
    }

    /** A frame's announced payload length, refused above the receiver's SETTINGS_MAX_FRAME_SIZE before any copy. */
    private int payloadLength(ByteBuf buf, int frameStart) {
        int length = buf.getUnsignedMedium(frameStart);
        if (length > reader.maxFrameSize()) {
            throw new DecodeStopped("a frame of " + length + " bytes exceeds the max frame size " + reader.maxFrameSize());
        }
        return length;
    }

    /** Charges the held frame up to {@code bytes}, before its buffer grows to that. */
    private void chargePending(long bytes) {
        if (bytes > pendingCharged) {
            budget.charge(bytes - pendingCharged);
            pendingCharged = bytes;
        }
    }

    void release() {
        dataLeft = 0;
        padLeft = 0;
        if (pending != null) {
            pending.release();
            pending = null;
            budget.release(pendingCharged);
            pendingCharged = 0;
        }
        reader.close();
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
        streams.data(client, streamId, data, endOfStream);
        return data.readableBytes() + padding;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
            boolean endOfStream) {
        streams.headers(client, streamId, headers, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
            short weight, boolean exclusive, int padding, boolean endOfStream) {
        streams.headers(client, streamId, headers, endOfStream);
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        streams.reset(client, streamId, errorCode);
    }

    @Override
    public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId, Http2Headers headers,
            int padding) {
        if (!client) {
            streams.pushPromise(streamId, promisedStreamId, headers);
        }
    }

    /**
     * A side's SETTINGS bound what the other side may send it: the HPACK table its encoder may use and the frame
     * size. Only ever raised: frames sent before the peer saw a smaller value are still in flight here.
     */
    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
        Long tableSize = settings.headerTableSize();
        if (tableSize != null && tableSize > peer.hpack.maxHeaderTableSize()) {
            peer.hpack.maxHeaderTableSize(tableSize);
        }
        Integer frameSize = settings.maxFrameSize();
        if (frameSize != null && frameSize > peer.reader.maxFrameSize()) {
            peer.reader.maxFrameSize(frameSize);
        }
    }
}
