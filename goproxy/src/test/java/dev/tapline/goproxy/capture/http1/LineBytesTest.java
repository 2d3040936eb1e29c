package dev.tapline.goproxy.capture.http1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time scans against plain byte loops, on every start and end position of inputs made of the bytes
 * that can fool the bit tricks: the special bytes themselves, their neighbours, and the same with the high bit set
 * (0x8A is LF + 0x80, 0x8D is CR + 0x80, 0x80 is NUL + 0x80), next to each other and across 8-byte boundaries.
 */
class LineBytesTest {
    private static final byte[] TRICKY = {'\n', '\r', 0, 1, 9, 11, 12, 14, (byte) 0x8A, (byte) 0x8D, (byte) 0x80,
            (byte) 0x81, (byte) 0xFF, (byte) 0x7F, 'a', ' ', ':'};

    @Test
    void matchesByteLoopsOnEveryRange() {
        Random random = new Random(42);
        for (int trial = 0; trial < 400; trial++) {
            byte[] b = new byte[1 + random.nextInt(40)];
            int plain = random.nextInt(4); // some inputs mostly text, so matches sit deep inside words
            for (int i = 0; i < b.length; i++) {
                b[i] = random.nextInt(4) < plain ? (byte) 'x' : TRICKY[random.nextInt(TRICKY.length)];
            }
            for (int from = 0; from <= b.length; from++) {
                for (int to = from; to <= b.length; to++) {
                    assertThat(LineBytes.nextLineByte(b, from, to)).as("next in [%d,%d)", from, to)
                            .isEqualTo(nextLineByteSlowly(b, from, to));
                    assertThat(LineBytes.isAscii(b, from, to)).isEqualTo(isAsciiSlowly(b, from, to));
                }
            }
        }
    }

    @Test
    void findsNothingInPlainText() {
        byte[] text = "Content-Type: application/octet-stream; charset=whatever".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(LineBytes.nextLineByte(text, 0, text.length)).isEqualTo(text.length);
        assertThat(LineBytes.isAscii(text, 0, text.length)).isTrue();
    }

    private static int nextLineByteSlowly(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n' || b[i] == '\r' || b[i] == 0) {
                return i;
            }
        }
        return to;
    }

    private static boolean isAsciiSlowly(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if ((b[i] & 0xFF) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
