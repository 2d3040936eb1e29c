package dev.tapline.goproxy.capture;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The header (or trailer) fields of one head as they were received: one copy of the field lines' bytes and the
 * offsets of each name and value in it. A list of {@link HttpHeader} to whoever asks for one (made on demand),
 * but the decoder's own users (framing, the encoder) read names and values straight from the bytes.
 *
 * <p>Why: a head has ~10 fields and every exchange has two heads. One array plus one offset table per head
 * instead of a record and two strings per field takes most of the decoder's allocation and copying off the
 * relay's event loop.
 */
public final class HeaderBlock extends AbstractList<HttpHeader> implements RandomAccess {
    private final byte[] bytes;
    /** Per field: name start, name end, value start, value end (exclusive ends) into {@link #bytes}. */
    private final int[] offsets;
    private final int size;
    /** No byte >= 0x80: the bytes are already the UTF-8 of the text. */
    private final boolean ascii;

    /** Takes ownership of {@code bytes} and {@code offsets} (4 per field: name start/end, value start/end). */
    public HeaderBlock(byte[] bytes, int[] offsets, int size, boolean ascii) {
        this.bytes = bytes;
        this.offsets = offsets;
        this.size = size;
        this.ascii = ascii;
    }

    /** The list as an immutable list: a block as is (it is immutable), anything else copied. */
    public static List<HttpHeader> immutable(List<HttpHeader> fields) {
        return fields instanceof HeaderBlock ? fields : List.copyOf(fields);
    }

    /** Whether field {@code i}'s name equals {@code name}, ignoring ASCII case (as field names compare). */
    public static boolean nameIs(List<HttpHeader> fields, int i, String name) {
        return fields instanceof HeaderBlock block ? block.nameIs(i, name) : fields.get(i).name().equalsIgnoreCase(name);
    }

    /** Field {@code i}'s value. */
    public static String value(List<HttpHeader> fields, int i) {
        return fields instanceof HeaderBlock block ? block.value(i) : fields.get(i).value();
    }

    @Override
    public HttpHeader get(int i) {
        checkIndex(i);
        int o = 4 * i;
        return new HttpHeader(latin1(offsets[o], offsets[o + 1]), latin1(offsets[o + 2], offsets[o + 3]));
    }

    @Override
    public int size() {
        return size;
    }

    /** About the size of the fields encoded as Header messages: per field, ~6 bytes of tags and lengths. */
    public long sizeHint() {
        return bytes.length + 2L * size;
    }

    public boolean nameIs(int i, String name) {
        checkIndex(i);
        return equalsIgnoreAsciiCase(bytes, offsets[4 * i], offsets[4 * i + 1], name);
    }

    /**
     * Whether {@code b[from, to)} equals {@code name}, ignoring the case of ASCII letters only (as field names and
     * tokens such as transfer codings compare; no other ISO-8859-1 char folds to a letter).
     */
    public static boolean equalsIgnoreAsciiCase(byte[] b, int from, int to, String name) {
        int length = to - from;
        if (length != name.length()) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            int x = b[from + k];
            int y = name.charAt(k);
            if (x == y) {
                continue;
            }
            int lower = x | 0x20; // names are tokens (ASCII): only letters compare across case
            if (lower != (y | 0x20) || lower < 'a' || lower > 'z') {
                return false;
            }
        }
        return true;
    }

    public String value(int i) {
        checkIndex(i);
        return latin1(offsets[4 * i + 2], offsets[4 * i + 3]);
    }

    /** Sees one field's name and value where they lie in the received bytes; must only read them, never keep them. */
    @FunctionalInterface
    public interface FieldVisitor<T> {
        void field(T target, int tag, boolean ascii, byte[] src, int nameFrom, int nameTo, int valueFrom, int valueTo);
    }

    /**
     * Hands every field, in order, to {@code visitor} straight from the received bytes (an encoder copies them
     * without making strings). {@code target} and {@code tag} are passed through, so the visitor can be a
     * non-capturing method reference (no allocation per head).
     */
    public <T> void forEachField(T target, int tag, FieldVisitor<T> visitor) {
        for (int o = 0, end = 4 * size; o < end; o += 4) {
            visitor.field(target, tag, ascii, bytes, offsets[o], offsets[o + 1], offsets[o + 2], offsets[o + 3]);
        }
    }

    private String latin1(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("field " + i + " of " + size);
        }
    }
}
