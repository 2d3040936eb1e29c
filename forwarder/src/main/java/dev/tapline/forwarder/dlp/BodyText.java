package dev.tapline.forwarder.dlp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A body decoded strictly into text, so that it can be re-encoded after redaction without
 * touching anything else. Bodies that are not valid in their charset are not text: redacting them
 * would corrupt them.
 *
 * <p>A truncated body may end in the middle of a multi-byte character; those trailing bytes are
 * kept aside and appended unchanged rather than making the whole body count as binary. A UTF-8
 * byte order mark is likewise kept aside so that parsers do not see it.
 */
final class BodyText {

    private static final char BOM = '\uFEFF';
    private static final byte[] NO_BYTES = new byte[0];

    private final String text;
    private final Charset charset;
    private final boolean bom;
    private final byte[] tail;

    private BodyText(String text, Charset charset, boolean bom, byte[] tail) {
        this.text = text;
        this.charset = charset;
        this.bom = bom;
        this.tail = tail;
    }

    /** Decodes {@code body}; returns {@code null} when it is not valid text in {@code charset}. */
    static BodyText decode(byte[] body, Charset charset, boolean truncated) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            // The JDK's lenient UTF-8 decoding is much faster than a CharsetDecoder; a replacement
            // character in its output is the only sign that the strict path is needed.
            String fast = new String(body, StandardCharsets.UTF_8);
            if (fast.indexOf('\uFFFD') < 0) {
                return withoutBom(fast, charset, NO_BYTES);
            }
        }
        return strictDecode(body, charset, truncated);
    }

    /** The decoded text, without byte order mark or incomplete trailing character. */
    String text() {
        return text;
    }

    /** Encodes {@code redacted} (derived from {@link #text()}) back into body bytes. */
    byte[] encode(String redacted) {
        byte[] encoded = (bom ? BOM + redacted : redacted).getBytes(charset);
        if (tail.length == 0) {
            return encoded;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length + tail.length);
        out.writeBytes(encoded);
        out.writeBytes(tail);
        return out.toByteArray();
    }

    private static BodyText strictDecode(byte[] body, Charset charset, boolean truncated) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        int capacity = (int) Math.ceil(body.length * (double) decoder.maxCharsPerByte()) + 1;
        CharBuffer out = CharBuffer.allocate(capacity);
        CoderResult result = decoder.decode(in, out, false);
        if (result.isError() || result.isOverflow()) {
            return null;
        }
        byte[] tail = NO_BYTES;
        if (in.hasRemaining()) {
            if (!truncated) {
                return null;
            }
            tail = new byte[in.remaining()];
            in.get(tail);
        }
        if (decoder.decode(in, out, true).isError() || decoder.flush(out).isError()) {
            return null;
        }
        out.flip();
        return withoutBom(out.toString(), charset, tail);
    }

    private static BodyText withoutBom(String text, Charset charset, byte[] tail) {
        boolean bom = charset.equals(StandardCharsets.UTF_8) && !text.isEmpty() && text.charAt(0) == BOM;
        return new BodyText(bom ? text.substring(1) : text, charset, bom, tail);
    }
}
