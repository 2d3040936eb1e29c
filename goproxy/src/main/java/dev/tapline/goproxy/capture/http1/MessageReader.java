package dev.tapline.goproxy.capture.http1;

import java.nio.ByteBuffer;
import java.util.List;

import dev.tapline.goproxy.capture.BodyBuffer;
import dev.tapline.goproxy.capture.HttpHeader;

/**
 * Splits one direction of a connection into messages: a head, then a body framed as the
 * {@link Handler} decides, then the next head. It knows nothing about requests or responses;
 * the handler interprets heads and receives finished messages. It reads no clock: the handler reads the time
 * when it needs one.
 */
final class MessageReader {

    /** Interprets the messages of one direction. Exceptions make the sniffer give up. */
    interface Handler {

        /**
         * The first byte of a head arrived (leading empty lines excluded).
         *
         * @param headComplete the head ended in the same chunk: {@link #onHead} follows at once
         */
        void onMessageStart(boolean headComplete) throws HttpDecodeException;

        /**
         * A head is complete; returns how its body is framed ({@link Framing}: a length or a negative code).
         *
         * @param fields its field lines, already parsed; {@link FieldLines#requireValid()} tells whether they are valid
         */
        long onHead(byte[] head, int length, FieldLines fields) throws HttpDecodeException;

        /**
         * Asked right after {@link #onHead} for a message with a body: false when the body is only skipped (its
         * exchange was dropped, at its start or now).
         *
         * @param mostKept the most bytes of this body that would be kept: its announced length or, when unknown,
         *                 the cap
         */
        boolean keepsBody(int mostKept);

        /**
         * The message ended: completely, or cut short by a close or by giving up.
         *
         * @param body     the body bytes, or {@code null} when the message has no body or its body was skipped
         * @param trailers the trailer fields of a complete chunked body, else empty
         */
        void onMessageEnd(BodyBuffer body, List<HttpHeader> trailers, boolean complete) throws HttpDecodeException;
    }

    private enum State { HEAD, LENGTH, CHUNKED, UNTIL_CLOSE, ENDED }

    private final Handler handler;
    private final int bodyCap;
    private final HeadAccumulator head;
    private final ChunkedDecoder chunked;
    private State state = State.HEAD;
    private long remaining;
    /** The body being kept; null while a dropped exchange's body is skipped. */
    private BodyBuffer body;

    MessageReader(SnifferLimits limits, Handler handler) {
        this.handler = handler;
        this.bodyCap = limits.bodyCapBytes();
        this.head = new HeadAccumulator(limits.maxHeaderBytes(), limits.maxHeaders());
        this.head.resetForHead();
        this.chunked = new ChunkedDecoder(head, limits.maxHeaderBytes());
    }

    /**
     * Consumes bytes from absolute index {@code from}, stopping at {@code to} or right after a
     * head or a message ends, so that the caller can react before more bytes are read.
     *
     * @return the index of the first byte not consumed
     */
    int feed(ByteBuffer src, int from, int to) throws HttpDecodeException {
        switch (state) {
            case HEAD:
                return readHead(src, from, to);
            case LENGTH: {
                int n = (int) Math.min(remaining, to - from);
                if (body != null) {
                    body.append(src, from, n);
                }
                remaining -= n;
                if (remaining == 0) {
                    end(List.of(), true);
                }
                return from + n;
            }
            case CHUNKED: {
                int next = chunked.feed(src, from, to, body);
                if (chunked.isComplete()) {
                    end(chunked.trailers(), true);
                }
                return next;
            }
            case UNTIL_CLOSE:
                if (body != null) {
                    body.append(src, from, to - from);
                }
                return to;
            default:
                return to;
        }
    }

    private int readHead(ByteBuffer src, int from, int to) throws HttpDecodeException {
        boolean wasStarted = head.started();
        int next = head.feed(src, from, to);
        if (!wasStarted && head.started()) {
            handler.onMessageStart(head.isComplete());
        }
        if (!head.isComplete()) {
            return next;
        }
        long framing = handler.onHead(head.bytes(), head.length(), head.fields());
        head.resetForHead();
        if (framing == Framing.HEAD_ONLY) {
            return next;
        }
        if (framing == Framing.NONE) {
            end(List.of(), true);
            return next;
        }
        int mostKept = framing > 0 ? (int) Math.min(framing, bodyCap) : bodyCap;
        body = handler.keepsBody(mostKept) ? new BodyBuffer(bodyCap, framing > 0 ? framing : -1) : null;
        if (framing > 0) {
            remaining = framing;
            state = State.LENGTH;
        } else if (framing == Framing.CHUNKED) {
            chunked.reset();
            state = State.CHUNKED;
        } else {
            state = State.UNTIL_CLOSE;
        }
        return next;
    }

    /** Whether a kept body is in progress: the time of its last bytes may be needed when the direction ends. */
    boolean inKeptBody() {
        return body != null;
    }

    /** Resets to reading a head before telling the handler, which may stop or release the reader. */
    private void end(List<HttpHeader> trailers, boolean complete) throws HttpDecodeException {
        BodyBuffer finished = body;
        body = null;
        state = State.HEAD;
        handler.onMessageEnd(finished, trailers, complete);
    }

    /**
     * The direction ended: ends a message in progress (complete only for a body delimited by
     * the close, and only if {@code closeDelimits}), drops a partial head and ignores any later
     * bytes.
     */
    void finish(boolean closeDelimits) throws HttpDecodeException {
        State was = state;
        BodyBuffer unfinished = body;
        release();
        if (was == State.LENGTH || was == State.CHUNKED) {
            handler.onMessageEnd(unfinished, List.of(), false);
        } else if (was == State.UNTIL_CLOSE) {
            handler.onMessageEnd(unfinished, List.of(), closeDelimits);
        }
    }

    /** Stops reading for good without telling the handler anything, freeing all buffers. */
    void release() {
        state = State.ENDED;
        body = null;
        head.release();
    }
}
