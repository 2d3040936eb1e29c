package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.ResponseHead;

class HttpSnifferInterimAndUpgradeTest {

    private static final String TLS_CLIENT_HELLO = "\u0016\u0003\u0001\u0000\u0005hello";

    private static String text(byte[] body) {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    @Test
    void expect100ContinueRecordsTheInterimResponseAndWaitsForTheFinalOne() {
        Scenario.Outcome out = Scenario.create()
                .at(10).client(lines("PUT /file HTTP/1.1", "Expect: 100-continue", "Content-Length: 5", ""))
                .at(20).app(lines("HTTP/1.1 100 Continue", ""))
                .at(30).client("12345")
                .at(40).app(lines("HTTP/1.1 201 Created", "Content-Length: 0", ""))
                .run();

        HttpExchangeRecord e = out.exchange(0);
        assertThat(e.interimResponses()).containsExactly(new ResponseHead(100, "Continue", "HTTP/1.1", java.util.List.of()));
        assertThat(text(e.request().body())).isEqualTo("12345");
        assertThat(e.response().statusCode()).isEqualTo(201);
        assertThat(e.requestStartNanos()).isEqualTo(10);
        assertThat(e.responseEndNanos()).isEqualTo(40);
        assertThat(out.listener().responses()).hasSize(1);
    }

    @Test
    void earlyHintsAreRecordedInOrderBeforeTheFinalResponse() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET /page HTTP/1.1", ""))
                .app(lines("HTTP/1.1 103 Early Hints", "Link: </style.css>; rel=preload", "")
                        + lines("HTTP/1.1 103 Early Hints", "Link: </app.js>; rel=preload", "")
                        + lines("HTTP/1.1 200 OK", "Content-Length: 4", "") + "page")
                .run();

        HttpExchangeRecord e = out.exchange(0);
        assertThat(e.interimResponses()).extracting(ResponseHead::statusCode).containsExactly(103, 103);
        assertThat(e.interimResponses()).extracting(h -> h.header("link"))
                .containsExactly("</style.css>; rel=preload", "</app.js>; rel=preload");
        assertThat(e.response().statusCode()).isEqualTo(200);
        assertThat(text(e.response().body())).isEqualTo("page");
    }

    @Test
    void switchingProtocolsMarksTheExchangeUpgradedAndStopsDecoding() {
        Scenario.Outcome out = Scenario.create()
                .at(1).client(lines("GET /chat HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade", ""))
                .at(2).app(lines("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade", "")
                        + "\u0081\u0002hi")
                .at(3).client("\u0081\u0082garbage that is not HTTP\r\n\r\n")
                .at(4).app("\u0081\u0005hello")
                .at(5).connectionClosed()
                .run();

        assertThat(out.exchanges()).singleElement().satisfies(e -> {
            assertThat(e.upgraded()).isTrue();
            assertThat(e.response().statusCode()).isEqualTo(101);
            assertThat(e.response().bodySize()).isZero();
            assertThat(e.responseMissing()).isFalse();
            assertThat(e.decoderGaveUp()).isFalse();
            assertThat(e.responseEndNanos()).isEqualTo(2);
        });
        assertThat(out.listener().giveUpReasons()).isEmpty();
    }

    @Test
    void connectAnsweredWithSuccessBecomesAnUndecodedTunnel() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("CONNECT example.com:443 HTTP/1.1", "Host: example.com:443", "") + TLS_CLIENT_HELLO)
                .app(lines("HTTP/1.1 200 Connection Established", "") + "\u0016\u0003\u0003\u0000\u0002hi")
                .client("\u0017\u0003\u0003 encrypted")
                .connectionClosed()
                .run();

        assertThat(out.exchanges()).singleElement().satisfies(e -> {
            assertThat(e.request().method()).isEqualTo("CONNECT");
            assertThat(e.request().target()).isEqualTo("example.com:443");
            assertThat(e.upgraded()).isTrue();
            assertThat(e.response().statusCode()).isEqualTo(200);
        });
    }

    @Test
    void refusedConnectKeepsDecodingTheRequestsSentMeanwhile() {
        Scenario.Outcome out = Scenario.create()
                .at(1).client(lines("CONNECT example.com:443 HTTP/1.1", ""))
                .at(2).client(lines("GET /after HTTP/1.1", ""))
                .at(3).app(lines("HTTP/1.1 407 Proxy Authentication Required", "Content-Length: 4", "") + "auth")
                .at(4).app(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .run();

        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("example.com:443", "/after");
        assertThat(out.exchanges()).extracting(e -> e.response().statusCode()).containsExactly(407, 200);
        assertThat(out.exchanges()).extracting(HttpExchangeRecord::upgraded).containsExactly(false, false);
        assertThat(out.exchange(1).requestStartNanos()).isEqualTo(2);
    }

    @Test
    void declinedUpgradeResumesPipelinedRequests() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("GET /a HTTP/1.1", "Upgrade: h2c", "Connection: Upgrade, HTTP2-Settings", "HTTP2-Settings: AAMAAABkAAQAAP__", "")
                        + lines("GET /b HTTP/1.1", ""))
                .app(lines("HTTP/1.1 200 OK", "Content-Length: 1", "") + "a"
                        + lines("HTTP/1.1 200 OK", "Content-Length: 1", "") + "b")
                .run();

        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("/a", "/b");
        assertThat(out.exchanges()).extracting(e -> text(e.response().body())).containsExactly("a", "b");
        assertThat(out.exchanges()).noneMatch(HttpExchangeRecord::upgraded);
    }

    @Test
    void upgradeRequestWaitingForAnAnswerStillGetsInterimResponses() {
        Scenario.Outcome out = Scenario.create()
                .client(lines("POST /up HTTP/1.1", "Upgrade: websocket", "Expect: 100-continue", "Content-Length: 2", ""))
                .app(lines("HTTP/1.1 100 Continue", ""))
                .client("ok")
                .app(lines("HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", ""))
                .client("\u0082\u0000")
                .run();

        HttpExchangeRecord e = out.exchange(0);
        assertThat(e.interimResponses()).extracting(ResponseHead::statusCode).containsExactly(100);
        assertThat(text(e.request().body())).isEqualTo("ok");
        assertThat(e.upgraded()).isTrue();
    }

    @Test
    void tooManyClientBytesWhileWaitingForAProtocolSwitchGiveUp() {
        Scenario.Outcome out = Scenario.create()
                .limits(new SnifferLimits(1024, 64, 10))
                .client(lines("CONNECT h:443 HTTP/1.1", ""))
                .client("x".repeat(65))
                .expectGiveUp()
                .run();

        assertThat(out.listener().giveUpReasons())
                .containsExactly("more than 64 client bytes before the answer to a protocol switch");
        assertThat(out.exchange(0).decoderGaveUp()).isTrue();
        assertThat(out.exchange(0).responseMissing()).isTrue();
    }
}
