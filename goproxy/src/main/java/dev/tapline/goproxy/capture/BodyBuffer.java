package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Keeps the first {@code cap} bytes of a body and counts all of them. Bytes past the cap are
 * only counted, never copied, so a large body costs one length addition per chunk. Shared by the HTTP/1 and
 * HTTP/2 decoders. With a cap of 0 (an exchange dropped at its start) it only counts.
 */
public final class BodyBuffer {

    public static final byte[] EMPTY = new byte[0];

    private static final int INITIAL_CAPACITY = 256;

    private final int cap;
    private final int reserved;
    private byte[] data = EMPTY;
    private int kept;
    private long size;

    /**
     * @param cap            most bytes kept
     * @param expectedLength the announced body length, or -1 when unknown; lets the exact
     *                       array be allocated once, never larger than {@code cap} whatever is announced
     */
    public BodyBuffer(int cap, long expectedLength) {
        this.cap = cap;
        if (expectedLength > 0 && cap > 0) {
            data = new byte[(int) Math.min(expectedLength, cap)];
        }
        this.reserved = data.length;
    }

    /**
     * The bytes allocated up front from the announced length (0 when none was): held from the start whatever
     * arrives, so a caller bounding memory charges them at once.
     */
    public int reserved() {
        return reserved;
    }

    /** Counts {@code length} bytes of {@code src} starting at absolute {@code index}, keeping those under the cap. */
    public void append(ByteBuffer src, int index, int length) {
        size += length;
        int copied = Math.min(cap - kept, length);
        if (copied <= 0) {
            return;
        }
        if (kept + copied > data.length) {
            grow(kept + copied);
        }
        src.get(index, data, kept, copied);
        kept += copied;
    }

    /** Counts {@code length} bytes that arrived once the cap was reached; same as appending them. */
    public void count(int length) {
        size += length;
    }

    /**
     * The first bytes of a body of unknown length get an array of exactly their size: a body that comes in one
     * piece (a small response, one DATA frame) is then handed over by {@link #toArray} without a copy.
     */
    private void grow(int needed) {
        if (data.length == 0) {
            data = new byte[needed];
            return;
        }
        int doubled = Math.max(INITIAL_CAPACITY, data.length * 2);
        data = Arrays.copyOf(data, Math.max(needed, Math.min(cap, doubled)));
    }

    /** Total bytes appended, kept or not. */
    public long size() {
        return size;
    }

    public boolean truncated() {
        return size > kept;
    }

    /** The kept bytes, exactly sized; hands over the internal array when it already fits. */
    public byte[] toArray() {
        return kept == data.length ? data : Arrays.copyOf(data, kept);
    }
}
