package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.HttpSyntax.CR;
import static dev.tapline.goproxy.capture.HttpSyntax.LF;

import java.nio.ByteBuffer;
import java.util.List;

import dev.tapline.goproxy.capture.BodyBuffer;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.HttpSyntax;

/**
 * Removes chunked transfer coding framing (RFC 9112 §7.1) incrementally: chunk sizes and
 * extensions are parsed byte by byte, chunk data is handed to the {@link BodyBuffer} in bulk,
 * and the trailer section is collected and parsed once the last chunk arrives.
 */
final class ChunkedDecoder {

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILERS, DONE }

    /** 15 hex digits stay below 2^60, so the size never overflows a long. */
    private static final int MAX_SIZE_DIGITS = 15;

    private final HeadAccumulator trailerSection;
    private final int maxLineBytes;
    private State state = State.SIZE;
    private long remaining;
    private int digits;
    private int extensionBytes;
    private List<HttpHeader> trailers = List.of();

    /**
     * @param trailerSection accumulator for the trailer section, shared with the message heads
     *                       of the same direction (they are never in use at the same time); it parses the trailer
     *                       fields and bounds their number
     * @param maxLineBytes   most bytes of chunk extensions on one chunk-size line
     */
    ChunkedDecoder(HeadAccumulator trailerSection, int maxLineBytes) {
        this.trailerSection = trailerSection;
        this.maxLineBytes = maxLineBytes;
    }

    void reset() {
        state = State.SIZE;
        remaining = 0;
        digits = 0;
        extensionBytes = 0;
        trailers = List.of();
    }

    boolean isComplete() {
        return state == State.DONE;
    }

    /** Trailer fields, once {@link #isComplete()}. */
    List<HttpHeader> trailers() {
        return trailers;
    }

    /**
     * Consumes bytes from absolute index {@code from} until the body ends or {@code to}.
     *
     * @return the index of the first byte not consumed
     */
    int feed(ByteBuffer src, int from, int to, BodyBuffer body) throws HttpDecodeException {
        int i = from;
        while (i < to && state != State.DONE) {
            if (state == State.DATA) {
                int n = (int) Math.min(remaining, to - i);
                if (body != null) { // null: a dropped exchange's body, only skipped
                    body.append(src, i, n);
                }
                i += n;
                remaining -= n;
                if (remaining == 0) {
                    state = State.DATA_CR;
                }
            } else if (state == State.TRAILERS) {
                i = trailerSection.feed(src, i, to);
                if (trailerSection.isComplete()) {
                    FieldLines trailerFields = trailerSection.fields();
                    trailerFields.requireValid();
                    trailers = trailerFields.toList();
                    trailerSection.resetForHead();
                    state = State.DONE;
                }
            } else {
                onFramingByte(src.get(i++));
            }
        }
        return i;
    }

    private void onFramingByte(byte b) throws HttpDecodeException {
        switch (state) {
            case SIZE -> onSizeByte(b);
            case EXTENSION -> {
                // Extensions are ignored (RFC 9112 §7.1.1) but bounded, since they are unbuffered
                // yet could otherwise keep the decoder spinning on one endless line.
                if (b == LF) {
                    endOfSizeLine();
                } else if (++extensionBytes > maxLineBytes) {
                    throw new HttpDecodeException("chunk extensions longer than " + maxLineBytes + " bytes");
                }
            }
            case SIZE_LF -> {
                if (b != LF) {
                    throw new HttpDecodeException("invalid chunk size line");
                }
                endOfSizeLine();
            }
            case DATA_CR -> {
                if (b == CR) {
                    state = State.DATA_LF;
                } else if (b == LF) {
                    state = State.SIZE;
                } else {
                    throw new HttpDecodeException("missing CRLF after chunk data");
                }
            }
            case DATA_LF -> {
                if (b != LF) {
                    throw new HttpDecodeException("missing CRLF after chunk data");
                }
                state = State.SIZE;
            }
            default -> throw new IllegalStateException("no framing byte expected in state " + state);
        }
    }

    /** chunk-size = 1*HEXDIG, then optional BWS and chunk extensions, then CRLF (or bare LF). */
    private void onSizeByte(byte b) throws HttpDecodeException {
        int value = HttpSyntax.hexValue(b);
        if (value >= 0) {
            if (++digits > MAX_SIZE_DIGITS) {
                throw new HttpDecodeException("chunk size too large");
            }
            remaining = (remaining << 4) | value;
        } else if (digits == 0) {
            throw new HttpDecodeException("invalid chunk size");
        } else if (b == ';' || HttpSyntax.isOws(b)) {
            state = State.EXTENSION;
        } else if (b == CR) {
            state = State.SIZE_LF;
        } else if (b == LF) {
            endOfSizeLine();
        } else {
            throw new HttpDecodeException("invalid chunk size");
        }
    }

    private void endOfSizeLine() {
        digits = 0;
        extensionBytes = 0;
        if (remaining == 0) {
            trailerSection.resetForTrailers();
            state = State.TRAILERS;
        } else {
            state = State.DATA;
        }
    }
}
