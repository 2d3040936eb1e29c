package dev.tapline.forwarder.dlp;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/**
 * A percent-decoded ({@code +} as space) URL-encoded component that remembers, for each decoded
 * character, the range of the encoded text it came from. That mapping lets a pattern matched in the
 * decoded value be replaced in the encoded one while every other byte keeps its original encoding.
 *
 * <p>The characters of one run of {@code %XX} escapes all map to the whole run, so a match that
 * starts or ends inside a run (an escaped multi-byte character) grows to cover the run.
 */
final class PercentDecoded {

    private final String text;
    private final int[] rawStart;
    private final int[] rawEnd;

    private PercentDecoded(String text, int[] rawStart, int[] rawEnd) {
        this.text = text;
        this.rawStart = rawStart;
        this.rawEnd = rawEnd;
    }

    /**
     * Decodes {@code raw}, reading escaped bytes in {@code charset}; returns {@code null} when an
     * escape is malformed or the bytes are not valid in the charset.
     */
    static PercentDecoded decode(String raw, Charset charset) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return new PercentDecoded(raw, null, null);
        }
        int n = raw.length();
        StringBuilder out = new StringBuilder(n);
        int[] starts = new int[n];
        int[] ends = new int[n];
        int i = 0;
        while (i < n) {
            char c = raw.charAt(i);
            if (c != '%') {
                starts[out.length()] = i;
                ends[out.length()] = i + 1;
                out.append(c == '+' ? ' ' : c);
                i++;
                continue;
            }
            int runStart = i;
            int runEnd = i;
            while (runEnd < n && raw.charAt(runEnd) == '%') {
                runEnd += 3;
            }
            if (runEnd > n) {
                return null;
            }
            byte[] bytes = new byte[(runEnd - runStart) / 3];
            for (int b = 0; b < bytes.length; b++, i += 3) {
                int hi = hexValue(raw.charAt(i + 1));
                int lo = hexValue(raw.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes[b] = (byte) (hi << 4 | lo);
            }
            String decoded = strictDecode(bytes, charset);
            if (decoded == null) {
                return null;
            }
            // No charset decodes one byte (three raw chars) into more than two chars, so the
            // decoded text never outgrows the arrays sized for the raw text.
            for (int k = 0; k < decoded.length(); k++) {
                int at = out.length();
                starts[at] = runStart;
                ends[at] = runEnd;
                out.append(decoded.charAt(k));
            }
        }
        return new PercentDecoded(out.toString(), starts, ends);
    }

    /** Decodes {@code raw}, or returns it unchanged when it cannot be decoded. */
    static String decodeOrRaw(String raw, Charset charset) {
        PercentDecoded decoded = decode(raw, charset);
        return decoded == null ? raw : decoded.text;
    }

    /** A component taken literally: the decoded text is the raw text. */
    static PercentDecoded literal(String raw) {
        return new PercentDecoded(raw, null, null);
    }

    String text() {
        return text;
    }

    /** Start in the encoded text of the decoded range beginning at {@code start}. */
    int rawStart(int start) {
        return rawStart == null ? start : rawStart[start];
    }

    /** End in the encoded text of the non-empty decoded range ending (exclusive) at {@code end}. */
    int rawEnd(int end) {
        return rawEnd == null ? end : rawEnd[end - 1];
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static String strictDecode(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
