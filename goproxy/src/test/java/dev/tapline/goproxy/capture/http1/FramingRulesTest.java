package dev.tapline.goproxy.capture.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FramingRulesTest {

    /** The fields as a received header section: "name: value" lines, then the empty line. */
    private static FieldLines headers(String... nameValues) {
        StringBuilder section = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            section.append(nameValues[i]).append(": ").append(nameValues[i + 1]).append("\r\n");
        }
        byte[] bytes = section.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        HeadAccumulator accumulator = new HeadAccumulator(1 << 16, 100);
        accumulator.resetForTrailers();
        try {
            accumulator.feed(ByteBuffer.wrap(bytes), 0, bytes.length);
            accumulator.fields().requireValid();
        } catch (HttpDecodeException e) {
            throw new AssertionError(e);
        }
        assertThat(accumulator.isComplete()).isTrue();
        return accumulator.fields();
    }

    @Test
    void lastTransferCodingAcrossAllFieldsDecides() {
        assertThat(FramingRules.transferEncodingEndsInChunked(headers())).isNull();
        assertThat(FramingRules.transferEncodingEndsInChunked(headers("Transfer-Encoding", "gzip, chunked"))).isTrue();
        assertThat(FramingRules.transferEncodingEndsInChunked(headers("Transfer-Encoding", "chunked, gzip"))).isFalse();
        assertThat(FramingRules.transferEncodingEndsInChunked(
                headers("Transfer-Encoding", "gzip", "transfer-encoding", " CHUNKED "))).isTrue();
        assertThat(FramingRules.transferEncodingEndsInChunked(
                headers("Transfer-Encoding", "chunked", "Transfer-Encoding", "gzip;q=1"))).isFalse();
        assertThat(FramingRules.transferEncodingEndsInChunked(headers("Transfer-Encoding", "chunked , "))).isTrue();
        assertThat(FramingRules.transferEncodingEndsInChunked(headers("Transfer-Encoding", ""))).isFalse();
    }

    @Test
    void contentLengthAcceptsRepeatedEqualValuesOnly() throws HttpDecodeException {
        assertThat(FramingRules.contentLength(headers())).isEqualTo(-1);
        assertThat(FramingRules.contentLength(headers("Content-Length", "42"))).isEqualTo(42);
        assertThat(FramingRules.contentLength(headers("Content-Length", "7, 7", "content-length", "7"))).isEqualTo(7);
        assertThat(FramingRules.contentLength(headers("Content-Length", "999999999999999999")))
                .isEqualTo(999_999_999_999_999_999L);
        for (String bad : new String[] {"", "+1", "1.0", "0x10", "1,", "1 2", "9999999999999999999"}) {
            assertThatThrownBy(() -> FramingRules.contentLength(headers("Content-Length", bad)))
                    .as("Content-Length: '%s'", bad)
                    .isInstanceOf(HttpDecodeException.class);
        }
        assertThatThrownBy(() -> FramingRules.contentLength(headers("Content-Length", "1", "Content-Length", "2")))
                .hasMessage("conflicting Content-Length values");
    }

    @Test
    void requestFramingPrefersChunkedThenLengthThenNoBody() throws HttpDecodeException {
        assertThat(FramingRules.forRequest(headers("Content-Length", "5", "Transfer-Encoding", "chunked")))
                .isEqualTo(Framing.CHUNKED);
        assertThat(FramingRules.forRequest(headers("Content-Length", "5"))).isEqualTo(Framing.length(5));
        assertThat(FramingRules.forRequest(headers("Content-Length", "0"))).isEqualTo(Framing.NONE);
        assertThat(FramingRules.forRequest(headers("Host", "h"))).isEqualTo(Framing.NONE);
        assertThatThrownBy(() -> FramingRules.forRequest(headers("Transfer-Encoding", "gzip")))
                .isInstanceOf(HttpDecodeException.class);
    }

    @Test
    void responseFramingFallsBackToReadingUntilClose() throws HttpDecodeException {
        assertThat(FramingRules.forResponse(headers("Transfer-Encoding", "gzip", "Content-Length", "3")))
                .isEqualTo(Framing.UNTIL_CLOSE);
        assertThat(FramingRules.forResponse(headers("Transfer-Encoding", "chunked"))).isEqualTo(Framing.CHUNKED);
        assertThat(FramingRules.forResponse(headers("Content-Length", "3"))).isEqualTo(Framing.length(3));
        assertThat(FramingRules.forResponse(headers())).isEqualTo(Framing.UNTIL_CLOSE);
    }
}
