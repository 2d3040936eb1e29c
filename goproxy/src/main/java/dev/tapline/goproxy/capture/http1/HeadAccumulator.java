package dev.tapline.goproxy.capture.http1;

import dev.tapline.goproxy.capture.BodyBuffer;

import static dev.tapline.goproxy.capture.HttpSyntax.CR;
import static dev.tapline.goproxy.capture.HttpSyntax.LF;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects the bytes of one head (start line and header section) or one trailer section until
 * the empty line that ends it, across any number of chunks. This is the only place where the
 * decoder buffers bytes it has not yet understood, hence the hard {@code maxBytes} bound.
 */
final class HeadAccumulator {

    private static final int INITIAL_CAPACITY = 512;
    /** At most this many bytes are copied in before looking for the end of the section. */
    private static final int SCAN_PIECE = 1024;
    /** Larger buffers are dropped after use so that idle keep-alive connections stay small. */
    private static final int RETAINED_CAPACITY = 4096;

    private final int maxBytes;
    private final String overflowReason;
    private byte[] buf = BodyBuffer.EMPTY;
    private int length;
    private int lineLength;
    private boolean lastWasCr;
    private boolean skippingEmptyLines;
    private boolean started;
    private boolean complete;

    HeadAccumulator(int maxBytes) {
        this.maxBytes = maxBytes;
        this.overflowReason = "header section larger than " + maxBytes + " bytes";
    }

    /**
     * Prepares for the next section.
     *
     * @param skipLeadingEmptyLines ignore CR/LF before the start line, as RFC 9112 §2.2 asks of
     *                              a server reading a request line; false for trailer sections,
     *                              where a first empty line ends an empty section
     */
    void reset(boolean skipLeadingEmptyLines) {
        length = 0;
        lineLength = 0;
        lastWasCr = false;
        started = false;
        complete = false;
        skippingEmptyLines = skipLeadingEmptyLines;
        if (buf.length > RETAINED_CAPACITY) {
            buf = BodyBuffer.EMPTY;
        }
    }

    /** Frees the buffer; the accumulator must be reset before further use. */
    void release() {
        buf = BodyBuffer.EMPTY;
        length = 0;
    }

    /**
     * Consumes bytes from absolute index {@code from} up to the end of the section or
     * {@code to}, whichever comes first.
     *
     * @return the index of the first byte not consumed
     * @throws HttpDecodeException when the section would exceed {@code maxBytes}
     */
    int feed(ByteBuffer src, int from, int to) throws HttpDecodeException {
        int i = from;
        if (skippingEmptyLines) {
            while (i < to && (src.get(i) == CR || src.get(i) == LF)) {
                i++;
            }
            if (i == to) {
                return to;
            }
            skippingEmptyLines = false;
        }
        started = true;
        // Copy a piece at a time into the array, then look for the end there: scanning a heap array is much
        // cheaper than reading a direct buffer byte by byte. Bytes copied past the end are not kept.
        while (i < to && !complete) {
            if (length == maxBytes) {
                throw new HttpDecodeException(overflowReason);
            }
            int n = Math.min(Math.min(to - i, SCAN_PIECE), maxBytes - length);
            ensureCapacity(length + n);
            src.get(i, buf, length, n);
            int used = scan(length, length + n);
            length += used;
            i += used;
        }
        return i;
    }

    /** Follows the lines in {@code buf[from, to)}; returns how many bytes belong to the section. */
    private int scan(int from, int to) {
        byte[] b = buf;
        int line = lineLength;
        boolean cr = lastWasCr;
        int j = from;
        while (j < to) {
            int lf = LineBytes.nextLineFeed(b, j, to);
            if (lf > j) {
                line += lf - j;
                cr = b[lf - 1] == CR;
            }
            if (lf == to) {
                j = to;
                break;
            }
            j = lf + 1;
            // A bare LF ends a line as well as CRLF does (RFC 9112 §2.2); an empty line ends the section.
            if (line == 0 || (line == 1 && cr)) {
                complete = true;
                break;
            }
            line = 0;
            cr = false;
        }
        lineLength = line;
        lastWasCr = cr;
        return j - from;
    }

    private void ensureCapacity(int needed) {
        if (needed > buf.length) {
            int doubled = Math.max(INITIAL_CAPACITY, buf.length * 2);
            buf = Arrays.copyOf(buf, Math.max(needed, Math.min(maxBytes, doubled)));
        }
    }

    /** Whether the first byte of the section (after skipped empty lines) has been seen. */
    boolean started() {
        return started;
    }

    /** Whether the empty line ending the section has been consumed. */
    boolean isComplete() {
        return complete;
    }

    /** The section's bytes, valid in {@code [0, length())} until the next reset. */
    byte[] bytes() {
        return buf;
    }

    int length() {
        return length;
    }
}
