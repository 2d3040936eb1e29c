package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.RequestHead;

class HttpSnifferKeepAliveTest {

    private static final String OK_HI = lines("HTTP/1.1 200 OK", "Content-Length: 2", "") + "hi";

    @Test
    void keepAliveConnectionCarriesManyExchangesInSequence() {
        Scenario.Outcome out = Scenario.create()
                .at(100).client(lines("GET /a HTTP/1.1", "Host: example.com", ""))
                .at(200).app(OK_HI)
                .at(300).client(lines("POST /b?x=1 HTTP/1.1", "Host: example.com", "Content-Length: 5", "") + "hello")
                .at(400).app(lines("HTTP/1.1 201 Created", "Content-Length: 0", ""))
                .at(500).client(lines("DELETE /c HTTP/1.1", "Host: example.com", ""))
                .at(600).app(lines("HTTP/1.1 204 No Content", ""))
                .run();

        assertThat(out.exchanges()).extracting(HttpExchangeRecord::sequence).containsExactly(0L, 1L, 2L);
        assertThat(out.exchanges()).extracting(e -> e.request().method()).containsExactly("GET", "POST", "DELETE");
        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("/a", "/b?x=1", "/c");
        assertThat(out.exchanges()).extracting(e -> e.response().statusCode()).containsExactly(200, 201, 204);
        assertThat(out.exchanges()).extracting(HttpExchangeRecord::requestStartNanos).containsExactly(100L, 300L, 500L);
        assertThat(out.exchanges()).extracting(HttpExchangeRecord::responseEndNanos).containsExactly(200L, 400L, 600L);
        HttpExchangeRecord post = out.exchange(1);
        assertThat(post.request().body()).asString(StandardCharsets.ISO_8859_1).isEqualTo("hello");
        assertThat(post.request().bodySize()).isEqualTo(5);
        assertThat(post.request().complete()).isTrue();
        assertThat(post.response().reason()).isEqualTo("Created");
        assertThat(out.exchange(0).response().body()).asString(StandardCharsets.ISO_8859_1).isEqualTo("hi");
        assertThat(out.exchanges()).allSatisfy(e -> {
            assertThat(e.responseMissing()).isFalse();
            assertThat(e.decoderGaveUp()).isFalse();
            assertThat(e.upgraded()).isFalse();
            assertThat(e.interimResponses()).isEmpty();
            assertThat(e.response().complete()).isTrue();
        });
        assertThat(out.gaveUp()).isFalse();
    }

    @Test
    void pipelinedRequestsArePairedWithResponsesFirstInFirstOut() {
        Scenario.Outcome out = Scenario.create()
                .at(10).client(lines("GET /1 HTTP/1.1", "Host: h", "")
                        + lines("GET /2 HTTP/1.1", "Host: h", "")
                        + lines("GET /3 HTTP/1.1", "Host: h", ""))
                .at(20).app(lines("HTTP/1.1 200 OK", "Content-Length: 3", "") + "one"
                        + lines("HTTP/1.1 404 Not Found", "Content-Length: 3", "") + "two")
                .at(30).app(lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "") + "5\r\nthree\r\n0\r\n\r\n")
                .run();

        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("/1", "/2", "/3");
        assertThat(out.exchanges()).extracting(e -> e.response().statusCode()).containsExactly(200, 404, 200);
        assertThat(out.exchanges()).extracting(e -> new String(e.response().body(), StandardCharsets.ISO_8859_1))
                .containsExactly("one", "two", "three");
        assertThat(out.exchanges()).extracting(HttpExchangeRecord::responseEndNanos).containsExactly(20L, 20L, 30L);
        assertThat(out.exchanges()).extracting(HttpExchangeRecord::requestStartNanos).containsExactly(10L, 10L, 10L);
    }

    @Test
    void requestHeadsAreAnnouncedBeforeResponsesAndExchangesFollowInOrder() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET /1 HTTP/1.1", "") + lines("GET /2 HTTP/1.1", ""))
                .app(OK_HI)
                .app(OK_HI)
                .run();

        List<String> order = out.events().stream().map(e -> {
            if (e instanceof RecordingListener.RequestEvent r) {
                return "request " + r.sequence() + " " + r.head().target();
            }
            if (e instanceof RecordingListener.ResponseEvent r) {
                return "response " + r.sequence() + " " + r.response().bodySize();
            }
            return "exchange " + ((HttpExchangeRecord) e).sequence();
        }).toList();
        assertThat(order).containsExactly(
                "request 0 /1", "request 1 /2",
                "response 0 2", "exchange 0",
                "response 1 2", "exchange 1");
    }

    @Test
    void timestampsComeFromTheClockAtTheFirstRequestByteAndLastResponseByte() {
        Scenario.Outcome out = Scenario.create()
                .at(1_000).client("GET /slow HT")
                .at(2_000).client("TP/1.1\r\nHost: h\r\n\r\n")
                .at(3_000).app(lines("HTTP/1.1 200 OK", "Content-Length: 4", "") + "ab")
                .at(4_000).app("cd")
                .run();

        assertThat(out.exchange(0).requestStartNanos()).isEqualTo(1_000);
        assertThat(out.exchange(0).responseEndNanos()).isEqualTo(4_000);
    }

    @Test
    void headersKeepTheirOrderCaseAndDuplicates() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET / HTTP/1.1", "Host: h", "X-Trace:  a b  ", "x-trace:c", "Accept:\t*/*", "Empty:", ""))
                .app(lines("HTTP/1.1 200 OK", "Set-Cookie: a=1", "Set-Cookie: b=2", "Content-Length: 0", ""))
                .run();

        assertThat(out.exchange(0).request().headers()).containsExactly(
                new HttpHeader("Host", "h"),
                new HttpHeader("X-Trace", "a b"),
                new HttpHeader("x-trace", "c"),
                new HttpHeader("Accept", "*/*"),
                new HttpHeader("Empty", ""));
        assertThat(out.exchange(0).response().headers()).containsExactly(
                new HttpHeader("Set-Cookie", "a=1"),
                new HttpHeader("Set-Cookie", "b=2"),
                new HttpHeader("Content-Length", "0"));
        assertThat(out.exchange(0).request().header("X-TRACE")).isEqualTo("a b");
    }

    @Test
    void targetAndVersionAreKeptExactlyAsSent() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("OPTIONS * HTTP/1.1", "") + lines("GET http://example.com:8080/p?q=%20#f HTTP/1.0", ""))
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .app(lines("HTTP/1.0 200 OK", "Content-Length: 0", ""))
                .run();

        assertThat(out.exchange(0).request().target()).isEqualTo("*");
        assertThat(out.exchange(1).request().target()).isEqualTo("http://example.com:8080/p?q=%20#f");
        assertThat(out.exchange(1).request().version()).isEqualTo("HTTP/1.0");
        assertThat(out.exchange(1).response().version()).isEqualTo("HTTP/1.0");
    }

    @Test
    void bareLineFeedsAreToleratedInHeads() {
        Scenario.Outcome out = Scenario.create()
                .client("GET /lf HTTP/1.1\nHost: h\r\nAccept: */*\n\n")
                .app("HTTP/1.1 200 OK\nContent-Length: 2\n\nok")
                .run();

        assertThat(out.exchange(0).request().headers())
                .containsExactly(new HttpHeader("Host", "h"), new HttpHeader("Accept", "*/*"));
        assertThat(out.exchange(0).response().body()).asString(StandardCharsets.ISO_8859_1).isEqualTo("ok");
    }

    @Test
    void emptyLinesBeforeARequestLineAreIgnored() {
        Scenario.Outcome out = Scenario.create()
                .at(5).client(lines("POST / HTTP/1.1", "Content-Length: 1", "") + "x" + "\r\n")
                .at(6).app(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .at(7).client("\r\n" + lines("GET /next HTTP/1.1", ""))
                .at(8).app(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .run();

        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("/", "/next");
        assertThat(out.exchange(1).requestStartNanos()).isEqualTo(7);
    }

    @Test
    void emptyStatusReasonIsAccepted() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET / HTTP/1.1", "") + lines("GET / HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 ", "Content-Length: 0", "") + lines("HTTP/1.1 500", "Content-Length: 0", ""))
                .run();

        assertThat(out.exchanges()).extracting(e -> e.response().reason()).containsExactly("", "");
        assertThat(out.exchanges()).extracting(e -> e.response().statusCode()).containsExactly(200, 500);
    }

    @Test
    void callerBufferPositionIsLeftUnchangedAndEmptyBuffersAreIgnored() {
        RecordingListener listener = new RecordingListener();
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), listener, () -> 42);
        ByteBuffer request = ByteBuffer.wrap(Scenario.bytes("junkGET / HTTP/1.1\r\n\r\n"));
        request.position(4);

        sniffer.onClientBytes(ByteBuffer.allocate(0));
        sniffer.onClientBytes(request);
        sniffer.onAppBytes(ByteBuffer.wrap(Scenario.bytes(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))));

        assertThat(request.position()).isEqualTo(4);
        assertThat(listener.exchanges()).singleElement().satisfies(e -> {
            assertThat(e.request().target()).isEqualTo("/");
            assertThat(e.requestStartNanos()).isEqualTo(42);
        });
    }

    @Test
    void throwingListenerNeverReachesTheCaller() {
        RecordingListener recorder = new RecordingListener();
        ExchangeListener throwing = new ExchangeListener() {
            @Override
            public void onRequest(long sequence, RequestHead head) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onExchange(HttpExchangeRecord exchange) {
                recorder.onExchange(exchange);
                throw new IllegalStateException("listener bug");
            }
        };
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), throwing, () -> 1);

        for (int i = 0; i < 2; i++) {
            sniffer.onClientBytes(ByteBuffer.wrap(Scenario.bytes(lines("GET /" + i + " HTTP/1.1", ""))));
            sniffer.onAppBytes(ByteBuffer.wrap(Scenario.bytes(OK_HI)));
        }

        assertThat(recorder.exchanges()).extracting(e -> e.request().target()).containsExactly("/0", "/1");
        assertThat(sniffer.gaveUp()).isFalse();
    }
}
