package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.HttpExchangeRecord;

/**
 * Each case leaves one good request open, sends the bad bytes, then valid traffic and a close:
 * the sniffer must flush the open exchange as given up, report the reason once and ignore the rest.
 */
class HttpSnifferMalformedInputTest {

    private static final String GOOD_REQUEST = lines("GET /open HTTP/1.1", "Host: h", "");
    private static final String GOOD_RESPONSE = lines("HTTP/1.1 200 OK", "Content-Length: 0", "");

    private static Scenario.Outcome givesUpOnClientBytes(SnifferLimits limits, String bad, String reason) {
        Scenario.Outcome out = Scenario.create()
                .limits(limits)
                .client(GOOD_REQUEST)
                .client(bad)
                .app(GOOD_RESPONSE)
                .client(GOOD_REQUEST)
                .connectionClosed()
                .expectGiveUp()
                .run();
        assertGaveUpWithOpenExchange(out, reason);
        return out;
    }

    private static Scenario.Outcome givesUpOnClientBytes(String bad, String reason) {
        return givesUpOnClientBytes(SnifferLimits.defaults(), bad, reason);
    }

    private static void assertGaveUpWithOpenExchange(Scenario.Outcome out, String reason) {
        assertThat(out.listener().giveUpReasons()).containsExactly(reason);
        assertThat(out.events().get(out.events().size() - 1)).isEqualTo(new RecordingListener.GiveUpEvent(reason));
        assertThat(out.exchanges()).first().satisfies(e -> {
            assertThat(e.request().target()).isEqualTo("/open");
            assertThat(e.decoderGaveUp()).isTrue();
            assertThat(e.responseMissing()).isTrue();
        });
    }

    @Test
    void badRequestLineGivesUp() {
        givesUpOnClientBytes(lines("GET /missing-version", ""), "malformed request line");
    }

    @Test
    void unsupportedVersionGivesUp() {
        givesUpOnClientBytes(lines("GET / HTTP/2.0", ""), "unsupported HTTP version HTTP/2.0");
    }

    @Test
    void headerLineWithoutColonGivesUp() {
        givesUpOnClientBytes(lines("GET / HTTP/1.1", "Host example.com", ""), "header line without colon");
    }

    @Test
    void whitespaceBetweenHeaderNameAndColonGivesUp() {
        givesUpOnClientBytes(lines("GET / HTTP/1.1", "Host : example.com", ""), "whitespace between header name and colon");
    }

    @Test
    void obsoleteLineFoldingGivesUp() {
        givesUpOnClientBytes(lines("GET / HTTP/1.1", "X-Long: first", " continued", ""), "obsolete line folding in header section");
    }

    @Test
    void bareCarriageReturnInAHeaderGivesUp() {
        givesUpOnClientBytes(lines("GET / HTTP/1.1", "X-A: a\rb", ""), "bare CR in header section");
    }

    @Test
    void headLargerThanTheLimitGivesUpWithoutBufferingIt() {
        SnifferLimits limits = new SnifferLimits(1024, 100, 10);
        givesUpOnClientBytes(limits, lines("GET / HTTP/1.1", "X-Big: " + "b".repeat(200), ""),
                "header section larger than 100 bytes");
    }

    @Test
    void tooManyHeadersGivesUp() {
        SnifferLimits limits = new SnifferLimits(1024, 1024, 3);
        givesUpOnClientBytes(limits, lines("GET / HTTP/1.1", "A: 1", "B: 2", "C: 3", "D: 4", ""),
                "more than 3 header fields");
    }

    @Test
    void badChunkSizeGivesUp() {
        givesUpOnClientBytes(lines("POST / HTTP/1.1", "Transfer-Encoding: chunked", "") + "zz\r\nhello\r\n0\r\n\r\n",
                "invalid chunk size");
    }

    @Test
    void missingLineEndAfterChunkDataGivesUp() {
        givesUpOnClientBytes(lines("POST / HTTP/1.1", "Transfer-Encoding: chunked", "") + "2\r\nabc\r\n0\r\n\r\n",
                "missing CRLF after chunk data");
    }

    @Test
    void requestTransferEncodingNotEndingInChunkedGivesUp() {
        givesUpOnClientBytes(lines("POST / HTTP/1.1", "Transfer-Encoding: chunked, gzip", "") + "abc",
                "request Transfer-Encoding does not end in chunked");
    }

    @Test
    void conflictingContentLengthsGiveUp() {
        givesUpOnClientBytes(lines("POST / HTTP/1.1", "Content-Length: 5", "Content-Length: 6", "") + "hello!",
                "conflicting Content-Length values");
    }

    @Test
    void invalidContentLengthGivesUp() {
        givesUpOnClientBytes(lines("POST / HTTP/1.1", "Content-Length: -1", ""), "invalid Content-Length");
    }

    @Test
    void requestWhoseFramingFailsIsFlushedWithTheOthers() {
        Scenario.Outcome out = givesUpOnClientBytes(lines("POST /bad HTTP/1.1", "Content-Length: x", ""),
                "invalid Content-Length");

        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("/open", "/bad");
        assertThat(out.exchange(1).request().complete()).isFalse();
        assertThat(out.exchange(1).decoderGaveUp()).isTrue();
    }

    @Test
    void tooManyOutstandingRequestsGiveUp() {
        givesUpOnClientBytes(new SnifferLimits(1024, 1024, 10, 2), GOOD_REQUEST + GOOD_REQUEST,
                "more than 2 outstanding requests");
    }

    @Test
    void responseWithNoOutstandingRequestGivesUp() {
        Scenario.Outcome out = Scenario.create()
                .client(GOOD_REQUEST)
                .app(GOOD_RESPONSE + GOOD_RESPONSE)
                .client(GOOD_REQUEST)
                .app(GOOD_RESPONSE)
                .connectionClosed()
                .expectGiveUp()
                .run();

        assertThat(out.listener().giveUpReasons()).containsExactly("response without an outstanding request");
        assertThat(out.exchanges()).singleElement().satisfies(e -> {
            assertThat(e.decoderGaveUp()).isFalse();
            assertThat(e.response().statusCode()).isEqualTo(200);
        });
    }

    @Test
    void malformedStatusLineGivesUp() {
        Scenario.Outcome out = Scenario.create()
                .client(GOOD_REQUEST)
                .app(lines("HTTP/1.1 2OO OK", "Content-Length: 0", ""))
                .expectGiveUp()
                .run();

        assertGaveUpWithOpenExchange(out, "malformed status code");
    }

    @Test
    void giveUpKeepsTheDecodedPartOfABodyInProgress() {
        Scenario.Outcome out = Scenario.create()
                .client(GOOD_REQUEST)
                .app(lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "") + "3\r\nabc\r\n3\r\nde")
                .app("f\r\nnot-hex\r\n")
                .expectGiveUp()
                .run();

        HttpExchangeRecord e = out.exchange(0);
        assertThat(e.decoderGaveUp()).isTrue();
        assertThat(e.responseMissing()).isFalse();
        assertThat(e.response().complete()).isFalse();
        assertThat(new String(e.response().body(), StandardCharsets.ISO_8859_1)).isEqualTo("abcdef");
        assertThat(out.listener().giveUpReasons()).containsExactly("invalid chunk size");
    }

    @Test
    void endlessInterimResponsesGiveUp() {
        Scenario.Outcome out = Scenario.create()
                .client(GOOD_REQUEST)
                .app(lines("HTTP/1.1 103 Early Hints", "").repeat(PendingExchange.MAX_INTERIM_RESPONSES + 1))
                .expectGiveUp()
                .run();

        assertGaveUpWithOpenExchange(out, "more than 32 interim responses");
        assertThat(out.exchange(0).interimResponses()).hasSize(PendingExchange.MAX_INTERIM_RESPONSES);
    }

    @Test
    void endlessChunkExtensionsGiveUp() {
        SnifferLimits limits = new SnifferLimits(1024, 64, 10);
        givesUpOnClientBytes(limits, lines("POST / HTTP/1.1", "Transfer-Encoding: chunked", "") + "1;" + "e".repeat(70),
                "chunk extensions longer than 64 bytes");
    }
}
