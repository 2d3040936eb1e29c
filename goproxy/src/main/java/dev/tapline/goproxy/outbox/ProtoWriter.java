package dev.tapline.goproxy.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.tapline.capture.v1.Header;
import io.netty.buffer.ByteBuf;

/**
 * Writes the protobuf wire format straight into a growable array: just the field kinds captures use.
 *
 * <p>Produces what protobuf-java's generated code produces for the same values (proto3: default values are
 * left out, fields in the order the caller writes them), without builders or message objects. A nested message
 * is written in place after a length slot as wide as the caller's size hint asks for (one byte without one). The
 * slot holds a padded varint until the length is known: if the length then needs a different width, the message's
 * bytes are moved to fit, which keeps one pass and the canonical encoding. A good hint (a 64 KiB body's message)
 * spares moving the body.
 *
 * <p>A long bytes value (a body) is not copied into the array: the writer keeps a reference to it and its place,
 * and {@link #moveTo} copies it once, straight into the batch, between the array's bytes around it.
 */
public final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    /** Shorter bytes values are copied into the array: one more copy of a few hundred bytes costs less than a reference. */
    static final int KEEP_BY_REFERENCE = 1024;

    private byte[] buf;
    private int pos;
    /** Bytes values kept by reference, in order, each with the array position it belongs at. */
    private ByteBuffer[] kept = new ByteBuffer[2];
    private int[] keptAt = new int[2];
    private int keptCount;
    private int keptBytes;

    public ProtoWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /** How many bytes were written, those kept by reference included. */
    public int position() {
        return pos + keptBytes;
    }

    /** Forgets everything written (a capture that turned out not to fit, or one moved into its batch). */
    void clear() {
        pos = 0;
        Arrays.fill(kept, 0, keptCount, null);
        keptCount = 0;
        keptBytes = 0;
    }

    /**
     * The bytes written so far, when none were kept by reference (no {@link #bytesField(int, ByteBuffer)} of
     * {@link #KEEP_BY_REFERENCE} bytes or more); the array may be longer than {@link #position()}.
     */
    public byte[] array() {
        if (keptCount > 0) {
            throw new IllegalStateException("bytes kept by reference are not in the array: use moveTo");
        }
        return buf;
    }

    /**
     * Appends everything written to {@code out}, each value kept by reference copied from where it is, in its place;
     * then forgets it all, as {@link #clear}.
     */
    void moveTo(ByteBuf out) {
        int from = 0;
        for (int i = 0; i < keptCount; i++) {
            out.writeBytes(buf, from, keptAt[i] - from);
            out.writeBytes(kept[i]); // moves the reference's position: it is forgotten below
            from = keptAt[i];
        }
        out.writeBytes(buf, from, pos - from);
        clear();
    }

    /** A varint field (uint32, uint64, int64, enum); left out when 0. */
    public void varintField(int field, long value) {
        if (value != 0) {
            tag(field, VARINT);
            varint(value);
        }
    }

    /** A bool field; left out when false. */
    void boolField(int field, boolean value) {
        if (value) {
            tag(field, VARINT);
            ensure(1);
            buf[pos++] = 1;
        }
    }

    /** A string field, UTF-8 encoded; left out when empty. */
    void stringField(int field, String value) {
        if (value.isEmpty()) {
            return;
        }
        int start = beginMessage(field);
        utf8(value);
        endMessage(start);
    }

    /**
     * A string field holding the ISO-8859-1 text {@code src[from, to)} (header bytes as received), UTF-8 encoded as
     * protobuf-java would encode that text as a string: bytes under 0x80 as they are, the others as two bytes.
     */
    void latin1Field(int field, byte[] src, int from, int to) {
        if (from == to) {
            return;
        }
        int high = 0;
        for (int i = from; i < to; i++) {
            high += src[i] >>> 31; // 1 for bytes >= 0x80
        }
        tag(field, LENGTH_DELIMITED);
        varint(to - from + high);
        if (high == 0) {
            raw(src, from, to - from);
            return;
        }
        ensure(to - from + high);
        for (int i = from; i < to; i++) {
            int c = src[i] & 0xFF;
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else {
                buf[pos++] = (byte) (0xC0 | (c >>> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    /** A bytes field (or a string already encoded as UTF-8); left out when empty. */
    public void bytesField(int field, byte[] value, int offset, int length) {
        if (length == 0) {
            return;
        }
        tag(field, LENGTH_DELIMITED);
        varint(length);
        raw(value, offset, length);
    }

    /**
     * A bytes field holding what remains in {@code value}. From {@link #KEEP_BY_REFERENCE} bytes on, the value is
     * kept by reference until {@link #moveTo} copies it (the caller's buffer must stay as it is until then);
     * shorter, it is copied now, through an absolute read that leaves its position as it was.
     */
    void bytesField(int field, ByteBuffer value) {
        int length = value.remaining();
        if (length == 0) {
            return;
        }
        tag(field, LENGTH_DELIMITED);
        varint(length);
        if (length >= KEEP_BY_REFERENCE) {
            keep(value, length);
            return;
        }
        ensure(length);
        value.get(value.position(), buf, pos, length); // an absolute get: no duplicate of the buffer to make
        pos += length;
    }

    /**
     * A {@code Header {name = 1, value = 2}} message as field {@code field}, from ASCII bytes (already their UTF-8):
     * the name {@code src[nameFrom, nameTo)}, the value {@code src[valueFrom, valueTo)}. Most fields are short, so
     * their lengths are known before writing: one bounds check and two copies, no length slot to fill in later.
     */
    void asciiHeader(int field, byte[] src, int nameFrom, int nameTo, int valueFrom, int valueTo) {
        int name = nameTo - nameFrom;
        int value = valueTo - valueFrom;
        int inner = (name == 0 ? 0 : 2 + name) + (value == 0 ? 0 : 2 + value);
        if (inner >= 0x80 || field >= 16) { // a length or the tag needs more than one byte: the general way
            int m = beginMessage(field);
            bytesField(Header.NAME_FIELD_NUMBER, src, nameFrom, name);
            bytesField(Header.VALUE_FIELD_NUMBER, src, valueFrom, value);
            endMessage(m);
            return;
        }
        ensure(2 + inner);
        byte[] b = buf;
        int p = pos;
        b[p++] = (byte) (field << 3 | LENGTH_DELIMITED);
        b[p++] = (byte) inner;
        if (name > 0) {
            b[p++] = Header.NAME_FIELD_NUMBER << 3 | LENGTH_DELIMITED;
            b[p++] = (byte) name;
            System.arraycopy(src, nameFrom, b, p, name);
            p += name;
        }
        if (value > 0) {
            b[p++] = Header.VALUE_FIELD_NUMBER << 3 | LENGTH_DELIMITED;
            b[p++] = (byte) value;
            System.arraycopy(src, valueFrom, b, p, value);
            p += value;
        }
        pos = p;
    }

    /** Opens a nested message (or any length-delimited field); returns what {@link #endMessage} needs. */
    int beginMessage(int field) {
        tag(field, LENGTH_DELIMITED);
        ensure(1);
        buf[pos] = 0;
        return pos++;
    }

    /**
     * Opens a nested message expected to hold about {@code sizeHint} bytes: its length slot is made as wide as that
     * length needs, so that the bytes need no moving when the hint is right.
     */
    int beginMessage(int field, long sizeHint) {
        tag(field, LENGTH_DELIMITED);
        int width = varintSize(Math.max(0, sizeHint));
        ensure(width);
        int start = pos;
        for (int i = 0; i < width - 1; i++) {
            buf[pos++] = (byte) 0x80; // a padded zero: continuation bytes, then the last byte
        }
        buf[pos++] = 0;
        return start;
    }

    /** Closes the field opened at {@code start}: writes its length in front of its bytes. */
    void endMessage(int start) {
        int slot = 1;
        while ((buf[start + slot - 1] & 0x80) != 0) {
            slot++;
        }
        int inArray = pos - start - slot;
        int length = inArray + keptAfter(start);
        if (length < 0x80 && slot == 1) {
            buf[start] = (byte) length;
            return;
        }
        int width = varintSize(length);
        if (width != slot) {
            ensure(width - slot);
            System.arraycopy(buf, start + slot, buf, start + width, inArray);
            pos += width - slot;
            for (int i = 0; i < keptCount; i++) {
                if (keptAt[i] > start) {
                    keptAt[i] += width - slot; // the values kept inside the message move with its bytes
                }
            }
        }
        int end = pos;
        pos = start;
        varint(length);
        pos = end;
    }

    /** Plain ASCII digits of a non-negative number (capture ids end with a counter). */
    void asciiDecimal(long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        ensure(digits);
        long v = value;
        for (int i = pos + digits - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        pos += digits;
    }

    private void keep(ByteBuffer value, int length) {
        if (keptCount == kept.length) {
            kept = Arrays.copyOf(kept, keptCount * 2);
            keptAt = Arrays.copyOf(keptAt, keptCount * 2);
        }
        kept[keptCount] = value;
        keptAt[keptCount++] = pos;
        keptBytes += length;
    }

    /** Bytes kept by reference after array position {@code start} (inside the message whose slot is there). */
    private int keptAfter(int start) {
        int n = 0;
        for (int i = 0; i < keptCount; i++) {
            if (keptAt[i] > start) {
                n += kept[i].remaining();
            }
        }
        return n;
    }

    void raw(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, buf, pos, length);
        pos += length;
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        if ((value & ~0x7FL) == 0) { // tags, small lengths and counts: most varints here
            ensure(1);
            buf[pos++] = (byte) value;
            return;
        }
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    /** ASCII as is (the usual case: header text decoded as ISO-8859-1); anything else through the JDK's encoder. */
    private void utf8(String s) {
        int n = s.length();
        ensure(n);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                pos = p;
                // same bytes as protobuf-java: it too falls back to the JDK's encoder ('?' for a lone surrogate)
                byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
                raw(rest, 0, rest.length);
                return;
            }
            b[p++] = (byte) c;
        }
        pos = p;
    }

    static int varintSize(long value) {
        int n = 1;
        for (long v = value; (v & ~0x7FL) != 0; v >>>= 7) {
            n++;
        }
        return n;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(pos + more, buf.length * 2));
        }
    }
}
