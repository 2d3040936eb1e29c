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
 *
 * <p>Each field line is parsed into {@link #fields()} as soon as its line ending is found, in the one pass that
 * looks for the section's end: a head's bytes are scanned once, not once for its end and again for its lines.
 * A line that is not valid (a bare CR or NUL, a bad field) is only noted; it is reported when the section is
 * complete, as a parse of the whole section would report its first bad line. The start line is left to
 * {@link HeadParser}.
 */
final class HeadAccumulator {

    private static final int INITIAL_CAPACITY = 512;
    /** At most this many bytes are copied in before looking for the end of the section. */
    private static final int SCAN_PIECE = 1024;
    /** Larger buffers are dropped after use so that idle keep-alive connections stay small. */
    private static final int RETAINED_CAPACITY = 4096;

    private final int maxBytes;
    private final String overflowReason;
    private final FieldLines fields;
    private byte[] buf = BodyBuffer.EMPTY;
    private int length;
    /** Where the line being read starts, and the next byte to look at, in {@link #buf}. */
    private int lineStart;
    private int scanned;
    /** The line being read is the start line (a head's first line), which {@link HeadParser} reads itself. */
    private boolean onStartLine;
    private boolean skippingEmptyLines;
    private boolean started;
    private boolean complete;

    /** @param maxFields most field lines in one section */
    HeadAccumulator(int maxBytes, int maxFields) {
        this.maxBytes = maxBytes;
        this.overflowReason = "header section larger than " + maxBytes + " bytes";
        this.fields = new FieldLines(maxFields);
    }

    /**
     * Prepares for the next head: a start line, then field lines. CR/LF before the start line are ignored, as
     * RFC 9112 §2.2 asks of a server reading a request line.
     */
    void resetForHead() {
        reset(true);
    }

    /** Prepares for a trailer section: field lines only, where a first empty line ends an empty section. */
    void resetForTrailers() {
        reset(false);
    }

    private void reset(boolean head) {
        length = 0;
        lineStart = 0;
        scanned = 0;
        started = false;
        complete = false;
        skippingEmptyLines = head;
        onStartLine = head;
        fields.begin(0);
        if (buf.length > RETAINED_CAPACITY) {
            buf = BodyBuffer.EMPTY;
        }
    }

    /** Frees the buffer; the accumulator must be reset before further use. */
    void release() {
        buf = BodyBuffer.EMPTY;
        length = 0;
        fields.release();
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
            int used = scan(length + n) - length;
            length += used;
            i += used;
        }
        return i;
    }

    /**
     * Follows the lines in {@code buf} from where the last scan stopped up to {@code to}, parsing each field line
     * as its LF is found; returns the index just past the section's end, or {@code to} when it has not ended yet.
     */
    private int scan(int to) {
        byte[] b = buf;
        int j = scanned;
        while (true) {
            int c = LineBytes.nextLineByte(b, j, to);
            if (c == to) {
                scanned = to;
                return to;
            }
            int lf = c;
            if (b[c] == CR) {
                if (c + 1 == to) { // its LF, if any, comes with the next bytes
                    scanned = c;
                    return to;
                }
                if (b[c + 1] == LF) {
                    lf = c + 1;
                } else {
                    lineInvalid("bare CR in header section"); // RFC 9112 §2.2
                }
            } else if (b[c] != LF) {
                lineInvalid("NUL in header section"); // RFC 9110 §5.5
            }
            if (b[lf] != LF) {
                j = c + 1;
                continue;
            }
            // A bare LF ends a line as well as CRLF does (RFC 9112 §2.2); an empty line ends the section.
            int end = lf > lineStart && b[lf - 1] == CR ? lf - 1 : lf;
            if (end == lineStart) {
                fields.complete(b, lineStart);
                complete = true;
                scanned = lf + 1;
                return lf + 1;
            }
            if (onStartLine) {
                onStartLine = false;
                fields.fieldsFrom(lf + 1);
            } else {
                fields.parseLine(b, lineStart, end);
            }
            lineStart = lf + 1;
            j = lf + 1;
        }
    }

    /** A bare CR or a NUL in the line being read: {@link HeadParser} finds those of a start line itself. */
    private void lineInvalid(String reason) {
        if (!onStartLine) {
            fields.invalid(reason);
        }
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

    /** The section's field lines, once complete; {@link FieldLines#requireValid()} reports a bad one. */
    FieldLines fields() {
        return fields;
    }
}
