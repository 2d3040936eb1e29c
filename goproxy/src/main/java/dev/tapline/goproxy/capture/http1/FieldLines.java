package dev.tapline.goproxy.capture.http1;

import java.util.Arrays;
import java.util.List;

import dev.tapline.goproxy.capture.BodyBuffer;
import dev.tapline.goproxy.capture.HeaderBlock;
import dev.tapline.goproxy.capture.HttpHeader;

/**
 * The field lines of the head just read, where they lie in the accumulator's bytes: per field the offsets of its
 * name and value. Framing is decided from these bytes; a {@link HeaderBlock} (one copy of the lines) is made only
 * for an exchange that is captured. Reused from head to head, so reading a head allocates nothing.
 *
 * <p>Why: most of what a captured or dropped exchange cost was reading its two heads. An exchange dropped because
 * the capture queue is full needs only its framing, and a captured one needs its fields' bytes copied once.
 */
final class FieldLines {
    private static final int INITIAL_FIELDS = 16;
    /** Larger tables are dropped at the next head so that idle keep-alive connections stay small. */
    private static final int RETAINED_FIELDS = 64;

    private final int maxFields;
    private byte[] bytes = BodyBuffer.EMPTY;
    /** The section's lines: {@code bytes[from, to)}, the empty line ending it excluded. */
    private int from;
    private int to;
    /** Per field: name start, name end, value start, value end (exclusive ends) into {@link #bytes}. */
    private int[] offsets = new int[4 * INITIAL_FIELDS];
    private int count;
    /** Which of the fields framing looks at are present, noted as the lines are parsed (most heads have few). */
    private boolean contentLength;
    private boolean transferEncoding;
    private boolean upgrade;
    /** The first field line's error, thrown once the section is complete; null while valid. */
    private String error;

    FieldLines(int maxFields) {
        this.maxFields = maxFields;
    }

    /** Starts a section whose field lines are read one by one ({@link #parseLine}) as {@link HeadAccumulator} finds them. */
    void begin(int fieldsFrom) {
        if (offsets.length > 4 * RETAINED_FIELDS) {
            offsets = new int[4 * INITIAL_FIELDS];
        }
        bytes = BodyBuffer.EMPTY;
        from = fieldsFrom;
        to = fieldsFrom;
        count = 0;
        contentLength = false;
        transferEncoding = false;
        upgrade = false;
        error = null;
    }

    /** The field lines start at {@code fieldsFrom} (after the start line). */
    void fieldsFrom(int fieldsFrom) {
        from = fieldsFrom;
        to = fieldsFrom;
    }

    /**
     * One field line, {@code b[start, end)} without its line ending, already free of bare CR and NUL. A line that
     * is not valid is remembered as the section's error (only the first: later lines are not read), thrown by
     * {@link #requireValid()} once the section is complete, as a parse of the whole section would have.
     */
    void parseLine(byte[] b, int start, int end) {
        if (error != null) {
            return;
        }
        bytes = b;
        try {
            int at = add();
            HeadParser.parseField(b, start, end, offsets, at);
            added(at / 4);
        } catch (HttpDecodeException e) {
            invalid(e.getMessage());
        }
    }

    /** The section is not valid (the first reason found, in line order, is kept). */
    void invalid(String reason) {
        if (error == null) {
            error = reason;
        }
    }

    /** The section is complete in {@code b}, its empty line starting at {@code emptyLine}. */
    void complete(byte[] b, int emptyLine) {
        bytes = b;
        to = emptyLine;
    }

    /** Throws the first error a field line had, if any. */
    void requireValid() throws HttpDecodeException {
        if (error != null) {
            throw new HttpDecodeException(error);
        }
    }

    /** Forgets the accumulator's bytes (which may be a large head's, about to be dropped). */
    void release() {
        bytes = BodyBuffer.EMPTY;
        count = 0;
    }

    /** Room for one more field's four offsets, at the returned index; fails past the field limit. */
    private int add() throws HttpDecodeException {
        if (count == maxFields) {
            throw new HttpDecodeException("more than " + maxFields + " header fields");
        }
        int at = 4 * count;
        if (at == offsets.length) {
            offsets = Arrays.copyOf(offsets, Math.min(2 * offsets.length, 4 * maxFields));
        }
        count++;
        return at;
    }

    /** Field {@code i}'s offsets are set: notes whether it is one of the fields framing needs. */
    private void added(int i) {
        switch (offsets[4 * i + 1] - offsets[4 * i]) { // the name's length tells most fields apart at once
            case 14 -> contentLength |= nameIs(i, "Content-Length");
            case 17 -> transferEncoding |= nameIs(i, "Transfer-Encoding");
            case 7 -> upgrade |= nameIs(i, "Upgrade");
            default -> { }
        }
    }

    boolean hasContentLength() {
        return contentLength;
    }

    boolean hasTransferEncoding() {
        return transferEncoding;
    }

    boolean hasUpgrade() {
        return upgrade;
    }

    int size() {
        return count;
    }

    byte[] bytes() {
        return bytes;
    }

    boolean nameIs(int i, String name) {
        return HeaderBlock.equalsIgnoreAsciiCase(bytes, offsets[4 * i], offsets[4 * i + 1], name);
    }

    int valueFrom(int i) {
        return offsets[4 * i + 2];
    }

    int valueTo(int i) {
        return offsets[4 * i + 3];
    }

    /** The fields as a list that owns its bytes: one copy of the lines and of the offsets. */
    List<HttpHeader> toList() {
        if (count == 0) {
            return List.of();
        }
        byte[] copy = Arrays.copyOfRange(bytes, from, to);
        int[] relative = new int[4 * count];
        for (int i = 0; i < relative.length; i++) {
            relative[i] = offsets[i] - from;
        }
        return new HeaderBlock(copy, relative, count, LineBytes.isAscii(copy, 0, copy.length));
    }
}
