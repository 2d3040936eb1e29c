package dev.tapline.goproxy.capture.http1;

import java.nio.ByteBuffer;
import java.util.List;

import dev.tapline.goproxy.capture.BodyBuffer;
import dev.tapline.goproxy.capture.HttpHeader;

/**
 * Splits one direction of a connection into messages: a head, then a body framed as the
 * {@link Handler} decides, then the next head. It knows nothing about requests or responses;
 * the handler interprets heads and receives finished messages.
 */
final class MessageReader {

    /** Interprets the messages of one direction. Exceptions make the sniffer give up. */
    interface Handler {

        /** The first byte of a head arrived (leading empty lines excluded). */
        void onMessageStart(long nowNanos) throws HttpDecodeException;

        /** A head is complete; returns how its body is framed. */
        Framing onHead(byte[] head, int length, long nowNanos) throws HttpDecodeException;

        /** Asked right after {@link #onHead}: false when the body is only counted (its exchange was dropped). */
        boolean keepsBody();

        /**
         * The message ended: completely, or cut short by a close or by giving up.
         *
         * @param body     the body bytes, or {@code null} when the message has no body
         * @param trailers the trailer fields of a complete chunked body, else empty
         */
        void onMessageEnd(BodyBuffer body, List<HttpHeader> trailers, boolean complete, long nowNanos)
                throws HttpDecodeException;
    }

    private enum State { HEAD, LENGTH, CHUNKED, UNTIL_CLOSE, ENDED }

    private final Handler handler;
    private final int bodyCap;
    private final HeadAccumulator head;
    private final ChunkedDecoder chunked;
    private State state = State.HEAD;
    private long remaining;
    private BodyBuffer body;

    MessageReader(SnifferLimits limits, Handler handler) {
        this.handler = handler;
        this.bodyCap = limits.bodyCapBytes();
        this.head = new HeadAccumulator(limits.maxHeaderBytes());
        this.head.reset(true);
        this.chunked = new ChunkedDecoder(head, limits.maxHeaderBytes(), limits.maxHeaders());
    }

    /**
     * Consumes bytes from absolute index {@code from}, stopping at {@code to} or right after a
     * head or a message ends, so that the caller can react before more bytes are read.
     *
     * @return the index of the first byte not consumed
     */
    int feed(ByteBuffer src, int from, int to, long nowNanos) throws HttpDecodeException {
        switch (state) {
            case HEAD:
                return readHead(src, from, to, nowNanos);
            case LENGTH: {
                int n = (int) Math.min(remaining, to - from);
                body.append(src, from, n);
                remaining -= n;
                if (remaining == 0) {
                    end(List.of(), true, nowNanos);
                }
                return from + n;
            }
            case CHUNKED: {
                int next = chunked.feed(src, from, to, body);
                if (chunked.isComplete()) {
                    end(chunked.trailers(), true, nowNanos);
                }
                return next;
            }
            case UNTIL_CLOSE:
                body.append(src, from, to - from);
                return to;
            default:
                return to;
        }
    }

    private int readHead(ByteBuffer src, int from, int to, long nowNanos) throws HttpDecodeException {
        boolean wasStarted = head.started();
        int next = head.feed(src, from, to);
        if (!wasStarted && head.started()) {
            handler.onMessageStart(nowNanos);
        }
        if (!head.isComplete()) {
            return next;
        }
        Framing framing = handler.onHead(head.bytes(), head.length(), nowNanos);
        head.reset(true);
        int cap = handler.keepsBody() ? bodyCap : 0;
        switch (framing.kind()) {
            case HEAD_ONLY -> { }
            case NONE -> end(List.of(), true, nowNanos);
            case LENGTH -> {
                remaining = framing.length();
                body = new BodyBuffer(cap, remaining);
                state = State.LENGTH;
            }
            case CHUNKED -> {
                body = new BodyBuffer(cap, -1);
                chunked.reset();
                state = State.CHUNKED;
            }
            case UNTIL_CLOSE -> {
                body = new BodyBuffer(cap, -1);
                state = State.UNTIL_CLOSE;
            }
        }
        return next;
    }

    /** Resets to reading a head before telling the handler, which may stop or release the reader. */
    private void end(List<HttpHeader> trailers, boolean complete, long nowNanos) throws HttpDecodeException {
        BodyBuffer finished = body;
        body = null;
        state = State.HEAD;
        handler.onMessageEnd(finished, trailers, complete, nowNanos);
    }

    /**
     * The direction ended: ends a message in progress (complete only for a body delimited by
     * the close, and only if {@code closeDelimits}), drops a partial head and ignores any later
     * bytes.
     */
    void finish(boolean closeDelimits, long nowNanos) throws HttpDecodeException {
        State was = state;
        BodyBuffer unfinished = body;
        release();
        if (was == State.LENGTH || was == State.CHUNKED) {
            handler.onMessageEnd(unfinished, List.of(), false, nowNanos);
        } else if (was == State.UNTIL_CLOSE) {
            handler.onMessageEnd(unfinished, List.of(), closeDelimits, nowNanos);
        }
    }

    /** Stops reading for good without telling the handler anything, freeing all buffers. */
    void release() {
        state = State.ENDED;
        body = null;
        head.release();
    }
}
