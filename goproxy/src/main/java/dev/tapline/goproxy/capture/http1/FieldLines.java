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

    FieldLines(int maxFields) {
        this.maxFields = maxFields;
    }

    /** Parses the field lines of {@code b} from {@code from} up to the empty line (RFC 9112 §5); see {@link HeadParser}. */
    void parse(byte[] b, int from, int length) throws HttpDecodeException {
        if (offsets.length > 4 * RETAINED_FIELDS) {
            offsets = new int[4 * INITIAL_FIELDS];
        }
        bytes = b;
        this.from = from;
        count = 0;
        contentLength = false;
        transferEncoding = false;
        upgrade = false;
        try {
            to = HeadParser.parseFields(b, from, length, this);
        } catch (HttpDecodeException e) {
            release();
            throw e;
        }
    }

    /** Forgets the accumulator's bytes (which may be a large head's, about to be dropped). */
    void release() {
        bytes = BodyBuffer.EMPTY;
        count = 0;
    }

    /** Room for one more field's four offsets, at the returned index; fails past the field limit. */
    int add() throws HttpDecodeException {
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
    void added(int i) {
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

    int[] offsets() {
        return offsets;
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
