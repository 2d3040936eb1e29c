package dev.tapline.goproxy.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolDetectorTest {

    private static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

    private static Detection detect(String latin1) {
        return ProtocolDetector.detect(ByteBuffer.wrap(latin1.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static Detection detect(int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            data[i] = (byte) bytes[i];
        }
        return ProtocolDetector.detect(ByteBuffer.wrap(data));
    }

    @Test
    void emptyInputNeedsMoreBytes() {
        assertThat(detect("")).isEqualTo(Detection.NEED_MORE);
        assertThat(Detection.NEED_MORE.isDecided()).isFalse();
        assertThat(Detection.NEED_MORE.protocol()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET /", "POST /x", "OPTIONS *", "CONNECT h:443", "M-SEARCH *", "get /"})
    void methodTokenSpaceAndTargetCharacterIsHttp1(String start) {
        assertThat(detect(start)).isEqualTo(Detection.HTTP1);
        assertThat(detect(start).protocol()).isEqualTo(DetectedProtocol.HTTP1);
    }

    @Test
    void http1IsDecidedAsSoonAsTheTargetStarts() {
        assertThat(detect("G")).isEqualTo(Detection.NEED_MORE);
        assertThat(detect("GET")).isEqualTo(Detection.NEED_MORE);
        assertThat(detect("GET ")).isEqualTo(Detection.NEED_MORE);
        assertThat(detect("GET /")).isEqualTo(Detection.HTTP1);
    }

    @Test
    void whitespaceOrControlAfterTheMethodIsTcp() {
        assertThat(detect("GET  /")).isEqualTo(Detection.TCP);
        assertThat(detect("GET \r\n")).isEqualTo(Detection.TCP);
        assertThat(detect(" GET /")).isEqualTo(Detection.TCP);
        assertThat(detect("GE(T /")).isEqualTo(Detection.TCP);
    }

    @Test
    void methodLongerThan32CharactersIsTcp() {
        assertThat(detect("A".repeat(32) + " /")).isEqualTo(Detection.HTTP1);
        assertThat(detect("A".repeat(32))).isEqualTo(Detection.NEED_MORE);
        assertThat(detect("A".repeat(33))).isEqualTo(Detection.TCP);
    }

    @Test
    void fullHttp2PrefaceIsHttp2() {
        assertThat(detect(PREFACE)).isEqualTo(Detection.HTTP2);
        assertThat(detect(PREFACE + "\u0000\u0000\u0012\u0004")).isEqualTo(Detection.HTTP2);
    }

    @Test
    void prefixOfThePrefaceNeedsMoreBytesEvenThoughItLooksLikeHttp1() {
        for (int length = 1; length < PREFACE.length(); length++) {
            assertThat(detect(PREFACE.substring(0, length))).as("prefix of %d bytes", length).isEqualTo(Detection.NEED_MORE);
        }
    }

    @Test
    void requestThatDivergesFromThePrefaceIsHttp1() {
        assertThat(detect("PRI * HTTP/1.1\r\n")).isEqualTo(Detection.HTTP1);
        assertThat(detect("PRIX /")).isEqualTo(Detection.HTTP1);
    }

    @Test
    void tlsHandshakeRecordIsTls() {
        assertThat(detect(0x16, 0x03, 0x01, 0x02, 0x00)).isEqualTo(Detection.TLS);
        assertThat(detect(0x16, 0x03, 0x00)).isEqualTo(Detection.TLS);
        assertThat(detect(0x16, 0x03, 0x04)).isEqualTo(Detection.TLS);
    }

    @Test
    void tlsIsDecidedAfterThreeBytes() {
        assertThat(detect(0x16)).isEqualTo(Detection.NEED_MORE);
        assertThat(detect(0x16, 0x03)).isEqualTo(Detection.NEED_MORE);
        assertThat(detect(0x16, 0x02)).isEqualTo(Detection.TCP);
        assertThat(detect(0x16, 0x03, 0x05)).isEqualTo(Detection.TCP);
    }

    @Test
    void binaryGarbageIsTcp() {
        assertThat(detect(0x00, 0x01, 0x02)).isEqualTo(Detection.TCP);
        assertThat(detect("SSH-2.0-OpenSSH_9.6")).isEqualTo(Detection.NEED_MORE);
        assertThat(detect("SSH-2.0-OpenSSH_9.6\r\n")).isEqualTo(Detection.TCP);
    }

    @Test
    void longInputWithoutAnyProtocolSignatureIsTcp() {
        byte[] data = new byte[100];
        java.util.Arrays.fill(data, (byte) 'A');
        // The 64-byte window sees a method token too long to be HTTP/1 and no other protocol.
        assertThat(ProtocolDetector.detect(ByteBuffer.wrap(data))).isEqualTo(Detection.TCP);
    }

    @Test
    void onlyBytesBetweenPositionAndLimitAreReadAndPositionIsUnchanged() {
        ByteBuffer buffer = ByteBuffer.wrap("\u0000\u0000GET /xyz".getBytes(StandardCharsets.ISO_8859_1));
        buffer.position(2).limit(6);

        assertThat(ProtocolDetector.detect(buffer)).isEqualTo(Detection.NEED_MORE);
        assertThat(buffer.position()).isEqualTo(2);
        buffer.limit(7);
        assertThat(ProtocolDetector.detect(buffer)).isEqualTo(Detection.HTTP1);
        assertThat(buffer.position()).isEqualTo(2);
    }

    @Test
    void directBuffersAreSupported() {
        ByteBuffer direct = ByteBuffer.allocateDirect(PREFACE.length());
        direct.put(PREFACE.getBytes(StandardCharsets.ISO_8859_1)).flip();

        assertThat(ProtocolDetector.detect(direct)).isEqualTo(Detection.HTTP2);
        assertThat(direct.position()).isZero();
    }

    @Test
    void anH2cServersSettingsFrameIsRecognisedAsTheServerPreface() {
        // what Netty's h2c server sends on accept: SETTINGS, 12 bytes of payload, stream 0
        byte[] settings = {0, 0, 12, 4, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100, 0, 6, 0, 0, 32, 0};
        assertThat(ProtocolDetector.isHttp2ServerPreface(ByteBuffer.wrap(settings))).isTrue();
        byte[] ack = settings.clone();
        ack[4] = 1;
        assertThat(ProtocolDetector.isHttp2ServerPreface(ByteBuffer.wrap(ack))).isFalse();
        byte[] smtp = "220 mail.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProtocolDetector.isHttp2ServerPreface(ByteBuffer.wrap(smtp))).isFalse();
        assertThat(ProtocolDetector.isHttp2ServerPreface(ByteBuffer.wrap(new byte[] {0, 0, 0, 4}))).isFalse();
    }
}
