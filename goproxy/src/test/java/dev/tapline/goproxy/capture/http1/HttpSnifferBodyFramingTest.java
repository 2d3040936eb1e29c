package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.HttpRequestRecord;
import dev.tapline.goproxy.capture.HttpResponseRecord;

class HttpSnifferBodyFramingTest {

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    @Test
    void contentLengthBodiesAreDecodedInBothDirections() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("PUT /doc HTTP/1.1", "Content-Length: 11", "") + "hello world")
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 7", "") + "{\"a\":1}")
                .run();

        HttpExchangeRecord e = out.exchange(0);
        assertThat(text(e.request().body())).isEqualTo("hello world");
        assertThat(e.request().bodySize()).isEqualTo(11);
        assertThat(e.request().bodyTruncated()).isFalse();
        assertThat(text(e.response().body())).isEqualTo("{\"a\":1}");
        assertThat(e.response().bodySize()).isEqualTo(7);
    }

    @Test
    void chunkedResponseWithExtensionsAndTrailersKeepsTrailers() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET /stream HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "Trailer: Checksum", "")
                        + "4;name=value\r\nWiki\r\n"
                        + "A ; quoted=\"a;b\"\r\npedia in\r\n\r\n"
                        + "0\r\nChecksum: abc123\r\nX-Done:yes\r\n\r\n")
                .client(lines("GET /next HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .run();

        HttpResponseRecord response = out.exchange(0).response();
        assertThat(text(response.body())).isEqualTo("Wikipedia in\r\n");
        assertThat(response.bodySize()).isEqualTo(14);
        assertThat(response.trailers())
                .containsExactly(new HttpHeader("Checksum", "abc123"), new HttpHeader("X-Done", "yes"));
        assertThat(response.complete()).isTrue();
    }

    @Test
    void chunkedRequestWithTrailersKeepsTrailers() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("POST /upload HTTP/1.1", "Transfer-Encoding: chunked", "")
                        + "3\r\nabc\r\n1a\r\n" + "x".repeat(26) + "\r\n0\r\nDigest: sha-256=xyz\r\n\r\n")
                .app(lines("HTTP/1.1 204 No Content", ""))
                .run();

        HttpRequestRecord request = out.exchange(0).request();
        assertThat(text(request.body())).isEqualTo("abc" + "x".repeat(26));
        assertThat(request.bodySize()).isEqualTo(29);
        assertThat(request.trailers()).containsExactly(new HttpHeader("Digest", "sha-256=xyz"));
    }

    @Test
    void chunkedBodyWithoutTrailersAndWithBareLineFeedsIsDecoded() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET / HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "") + "2\nok\n0\n\n")
                .run();

        assertThat(text(out.exchange(0).response().body())).isEqualTo("ok");
        assertThat(out.exchange(0).response().trailers()).isEmpty();
    }

    @Test
    void transferEncodingEndingInChunkedWinsOverContentLength() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("POST / HTTP/1.1", "Content-Length: 100", "Transfer-Encoding: gzip, chunked", "")
                        + "2\r\nhi\r\n0\r\n\r\n")
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 1", "Transfer-Encoding: chunked", "")
                        + "3\r\nabc\r\n0\r\n\r\n")
                .run();

        assertThat(text(out.exchange(0).request().body())).isEqualTo("hi");
        assertThat(text(out.exchange(0).response().body())).isEqualTo("abc");
        assertThat(out.exchange(0).response().complete()).isTrue();
    }

    @Test
    void headerNamesAreCaseInsensitiveForFraming() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("POST / HTTP/1.1", "content-LENGTH: 3", "") + "abc")
                .app(lines("HTTP/1.1 200 OK", "TRANSFER-ENCODING: Chunked", "") + "1\r\nz\r\n0\r\n\r\n")
                .run();

        assertThat(text(out.exchange(0).request().body())).isEqualTo("abc");
        assertThat(text(out.exchange(0).response().body())).isEqualTo("z");
    }

    @Test
    void repeatedEqualContentLengthsAreAccepted() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("POST / HTTP/1.1", "Content-Length: 3", "Content-Length: 3", "") + "abc")
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 2, 2", "") + "ok")
                .run();

        assertThat(text(out.exchange(0).request().body())).isEqualTo("abc");
        assertThat(text(out.exchange(0).response().body())).isEqualTo("ok");
        assertThat(out.gaveUp()).isFalse();
    }

    @Test
    void requestWithoutContentLengthOrTransferEncodingHasNoBody() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("POST /a HTTP/1.1", "") + lines("GET /b HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 0", "") + lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .run();

        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("/a", "/b");
        assertThat(out.exchange(0).request().bodySize()).isZero();
        assertThat(out.exchange(0).request().body()).isEmpty();
    }

    @Test
    void headResponseHasNoBodyWhateverItsHeadersSay() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("HEAD /big HTTP/1.1", "") + lines("HEAD /chunked HTTP/1.1", "") + lines("GET /x HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 1234", "")
                        + lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "")
                        + lines("HTTP/1.1 200 OK", "Content-Length: 1", "") + "!")
                .run();

        assertThat(out.exchanges()).hasSize(3);
        assertThat(out.exchange(0).response().bodySize()).isZero();
        assertThat(out.exchange(0).response().header("content-length")).isEqualTo("1234");
        assertThat(out.exchange(1).response().bodySize()).isZero();
        assertThat(text(out.exchange(2).response().body())).isEqualTo("!");
    }

    @Test
    void noContentAndNotModifiedResponsesHaveNoBody() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET /a HTTP/1.1", "") + lines("GET /b HTTP/1.1", "") + lines("GET /c HTTP/1.1", ""))
                .app(lines("HTTP/1.1 204 No Content", "Content-Length: 10", "")
                        + lines("HTTP/1.1 304 Not Modified", "Content-Length: 99", "ETag: \"x\"", "")
                        + lines("HTTP/1.1 200 OK", "Content-Length: 2", "") + "ok")
                .run();

        assertThat(out.exchanges()).extracting(e -> e.response().statusCode()).containsExactly(204, 304, 200);
        assertThat(out.exchanges()).extracting(e -> e.response().bodySize()).containsExactly(0L, 0L, 2L);
    }

    @Test
    void responseWithoutLengthIsDelimitedByTheAppClosing() {
        Scenario.Outcome out = Scenario.create()
                .at(1).client(lines("GET / HTTP/1.1", ""))
                .at(2).app(lines("HTTP/1.1 200 OK", "Content-Type: text/plain", "") + "part one, ")
                .at(3).app("part two")
                .at(9).appClosed()
                .run();

        HttpExchangeRecord e = out.exchange(0);
        assertThat(text(e.response().body())).isEqualTo("part one, part two");
        assertThat(e.response().complete()).isTrue();
        assertThat(e.responseMissing()).isFalse();
        assertThat(e.responseEndNanos()).isEqualTo(3);
        assertThat(out.listener().responses()).singleElement().satisfies(r -> assertThat(r.response().bodySize()).isEqualTo(18));
    }

    @Test
    void responseWithTransferEncodingNotEndingInChunkedRunsUntilClose() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET / HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Transfer-Encoding: gzip", "Content-Length: 2", "") + "\u001f\u008bcompressed")
                .connectionClosed()
                .run();

        assertThat(out.exchange(0).response().bodySize()).isEqualTo(12);
        assertThat(out.exchange(0).response().complete()).isTrue();
    }

    @Test
    void http10ResponseWithoutLengthEndsWhenTheConnectionCloses() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET /old HTTP/1.0", "User-Agent: legacy", ""))
                .app(lines("HTTP/1.0 200 OK", "", "") + "<html>legacy</html>")
                .connectionClosed()
                .run();

        HttpExchangeRecord e = out.exchange(0);
        assertThat(e.request().version()).isEqualTo("HTTP/1.0");
        assertThat(e.response().version()).isEqualTo("HTTP/1.0");
        assertThat(text(e.response().body())).isEqualTo("\r\n<html>legacy</html>");
        assertThat(e.response().complete()).isTrue();
    }

    @Test
    void bodiesAboveTheCapKeepTheirPrefixAndRealSize() {
        Scenario.Outcome out = Scenario.create()
                .limits(new SnifferLimits(8, 1024, 50))
                .client(lines("POST / HTTP/1.1", "Transfer-Encoding: chunked", "")
                        + "5\r\n01234\r\n5\r\n56789\r\n5\r\nabcde\r\n0\r\n\r\n")
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 20", "") + "ABCDEFGHIJKLMNOPQRST")
                .client(lines("GET / HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 8", "") + "12345678")
                .run();

        HttpRequestRecord request = out.exchange(0).request();
        assertThat(text(request.body())).isEqualTo("01234567");
        assertThat(request.bodySize()).isEqualTo(15);
        assertThat(request.bodyTruncated()).isTrue();
        HttpResponseRecord response = out.exchange(0).response();
        assertThat(text(response.body())).isEqualTo("ABCDEFGH");
        assertThat(response.bodySize()).isEqualTo(20);
        assertThat(response.bodyTruncated()).isTrue();
        assertThat(out.exchange(1).response().bodyTruncated()).isFalse();
        assertThat(text(out.exchange(1).response().body())).isEqualTo("12345678");
    }

    @Test
    void zeroBodyCapCountsBodiesWithoutKeepingThem() {
        Scenario.Outcome out = Scenario.create()
                .limits(new SnifferLimits(0, 1024, 50))
                .client(lines("POST / HTTP/1.1", "Content-Length: 3", "") + "abc")
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .run();

        assertThat(out.exchange(0).request().body()).isEmpty();
        assertThat(out.exchange(0).request().bodySize()).isEqualTo(3);
        assertThat(out.exchange(0).request().bodyTruncated()).isTrue();
    }
}
