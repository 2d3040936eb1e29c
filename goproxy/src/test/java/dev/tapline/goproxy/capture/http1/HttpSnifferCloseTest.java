package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.ResponseHead;

class HttpSnifferCloseTest {

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    @Test
    void connectionClosedBeforeTheResponseEmitsTheExchangeWithResponseMissing() {
        Scenario.Outcome out = Scenario.create()
                .at(7).client(lines("GET /lost HTTP/1.1", ""))
                .at(8).connectionClosed()
                .run();

        assertThat(out.exchanges()).singleElement().satisfies(e -> {
            assertThat(e.request().target()).isEqualTo("/lost");
            assertThat(e.request().complete()).isTrue();
            assertThat(e.response()).isNull();
            assertThat(e.responseMissing()).isTrue();
            assertThat(e.decoderGaveUp()).isFalse();
            assertThat(e.requestStartNanos()).isEqualTo(7);
            assertThat(e.responseEndNanos()).isZero();
        });
        assertThat(out.listener().responses()).isEmpty();
    }

    @Test
    void pendingPipelinedRequestsAreFlushedWithResponseMissing() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET /1 HTTP/1.1", "") + lines("GET /2 HTTP/1.1", "") + lines("GET /3 HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .connectionClosed()
                .run();

        assertThat(out.exchanges()).extracting(HttpExchangeRecord::sequence).containsExactly(0L, 1L, 2L);
        assertThat(out.exchanges()).extracting(HttpExchangeRecord::responseMissing).containsExactly(false, true, true);
    }

    @Test
    void interimResponsesAreKeptWhenTheFinalResponseNeverCame() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("POST / HTTP/1.1", "Expect: 100-continue", "Content-Length: 1", "") + "x")
                .app(lines("HTTP/1.1 100 Continue", ""))
                .connectionClosed()
                .run();

        assertThat(out.exchange(0).interimResponses()).extracting(ResponseHead::statusCode).containsExactly(100);
        assertThat(out.exchange(0).responseMissing()).isTrue();
        assertThat(out.exchange(0).responseEndNanos()).isZero();
    }

    @Test
    void responseCutShortByTheAppClosingIsIncomplete() {
        Scenario.Outcome out = Scenario.create()
                .at(1).client(lines("GET / HTTP/1.1", ""))
                .at(2).app(lines("HTTP/1.1 200 OK", "Content-Length: 10", "") + "abc")
                .at(3).appClosed()
                .run();

        HttpExchangeRecord e = out.exchange(0);
        assertThat(e.responseMissing()).isFalse();
        assertThat(e.response().complete()).isFalse();
        assertThat(text(e.response().body())).isEqualTo("abc");
        assertThat(e.response().bodySize()).isEqualTo(3);
        assertThat(e.responseEndNanos()).isEqualTo(2);
        assertThat(out.listener().responses()).isEmpty();
    }

    @Test
    void requestCutShortByTheClientClosingIsIncomplete() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("POST / HTTP/1.1", "Transfer-Encoding: chunked", "") + "5\r\nab")
                .clientClosed()
                .app(lines("HTTP/1.1 400 Bad Request", "Content-Length: 0", ""))
                .run();

        HttpExchangeRecord e = out.exchange(0);
        assertThat(e.request().complete()).isFalse();
        assertThat(text(e.request().body())).isEqualTo("ab");
        assertThat(e.response().statusCode()).isEqualTo(400);
    }

    @Test
    void clientHalfCloseStillPairsTheLaterResponse() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET / HTTP/1.1", ""))
                .clientClosed()
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 2", "") + "ok")
                .run();

        assertThat(out.exchange(0).response().complete()).isTrue();
        assertThat(text(out.exchange(0).response().body())).isEqualTo("ok");
    }

    @Test
    void requestsAfterTheAppClosedAreEmittedWithoutResponse() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET /1 HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Connection: close", "Content-Length: 0", ""))
                .appClosed()
                .client(lines("GET /2 HTTP/1.1", ""))
                .run();

        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("/1", "/2");
        assertThat(out.exchanges()).extracting(HttpExchangeRecord::responseMissing).containsExactly(false, true);
    }

    @Test
    void partialRequestHeadAtCloseIsDropped() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET /1 HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .client("GET /2 HTTP/1.1\r\nHost: h")
                .connectionClosed()
                .run();

        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("/1");
    }

    @Test
    void callsAfterTheConnectionClosedAreIgnored() {
        RecordingListener listener = new RecordingListener();
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), listener, () -> 1);
        sniffer.onConnectionClosed();

        sniffer.onClientBytes(ByteBuffer.wrap(Scenario.bytes(lines("GET / HTTP/1.1", ""))));
        sniffer.onAppBytes(ByteBuffer.wrap(Scenario.bytes("garbage")));
        sniffer.onConnectionClosed();

        assertThat(listener.events).isEmpty();
        assertThat(sniffer.gaveUp()).isFalse();
    }
}
