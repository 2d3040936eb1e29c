package dev.tapline.goproxy.capture;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The body of one HTTP message as captured: the kept prefix of the decoded bytes, the real decoded size and
 * whether bytes beyond the cap were dropped. Shared by requests and responses (and by every HTTP decoder), so the
 * cap's rule is said once. Immutable; the array given to the constructor is owned by the body from then on (the
 * decoder hands over a fresh array and never touches it again, which spares a copy of up to a whole body cap).
 *
 * @param kept      the first {@code bodyCapBytes} bytes of the decoded body (chunk framing removed)
 * @param size      the real decoded body size, which may exceed {@code kept.length}
 * @param truncated whether bytes beyond the cap were dropped ({@code size > kept.length})
 */
public record MessageBody(byte[] kept, long size, boolean truncated) {
    public static final MessageBody EMPTY = new MessageBody(new byte[0], 0, false);

    public MessageBody {
        Objects.requireNonNull(kept, "body");
    }

    /** A copy of the kept bytes. */
    @Override
    public byte[] kept() {
        return kept.clone();
    }

    /** The kept bytes as a read-only buffer, without copying. */
    public ByteBuffer view() {
        return ByteBuffer.wrap(kept).asReadOnlyBuffer();
    }

    /** How many bytes were kept. */
    public int keptLength() {
        return kept.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageBody b && Arrays.equals(kept, b.kept) && size == b.size && truncated == b.truncated;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(kept), size);
    }

    @Override
    public String toString() {
        return "kept=" + kept.length + ", bodySize=" + size + ", bodyTruncated=" + truncated;
    }
}
