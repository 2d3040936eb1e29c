package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.bytes;
import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.ExchangeListener;
import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.capture.HttpHeader;
import dev.tapline.goproxy.capture.RequestHead;

/**
 * Issue 24: an exchange dropped at its start (the capture queue is full) has its heads only framed, never made
 * into records. Its framing, and what makes the decoder give up, must be the same as for a captured exchange:
 * every exchange after it is captured as if nothing had been dropped.
 */
class HttpSnifferDroppedHeadTest {

    /** Admits the exchanges for which {@code admits} holds, by their order; records what it is handed. */
    private static final class Gate implements ExchangeListener {
        final IntPredicate admits;
        final boolean observesDropped;
        final List<HttpExchangeRecord> exchanges = new ArrayList<>();
        final List<RequestHead> requests = new ArrayList<>();
        final List<String> giveUps = new ArrayList<>();
        int asked;

        Gate(IntPredicate admits, boolean observesDropped) {
            this.admits = admits;
            this.observesDropped = observesDropped;
        }

        @Override
        public boolean admit() {
            return admits.test(asked++);
        }

        @Override
        public boolean observesDroppedRequests() {
            return observesDropped;
        }

        @Override
        public void onRequest(long sequence, RequestHead head) {
            requests.add(head);
        }

        @Override
        public void onExchange(HttpExchangeRecord exchange) {
            exchanges.add(exchange);
        }

        @Override
        public void onGiveUp(String reason) {
            giveUps.add(reason);
        }
    }

    /** Exchanges framed every way RFC 9112 §6.3 knows, each answered in its own chunk of bytes. */
    private static final String[][] EXCHANGES = {
        {lines("POST /length HTTP/1.1", "Host: app", "Content-Length: 5, 5", "content-length: 5", "") + "hello",
            lines("HTTP/1.1 200 OK", "Content-Length:\t3 ", "") + "abc"},
        {lines("POST /chunked HTTP/1.1", "Host: app", "Transfer-Encoding: gzip", "transfer-encoding: chunked", "")
                + "3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n",
            lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked;q=1", "") + "2\r\nok\r\n0\r\n\r\n"},
        {lines("HEAD /head HTTP/1.1", "Host: app", ""), lines("HTTP/1.1 200 OK", "Content-Length: 1000", "")},
        {lines("GET /empty HTTP/1.1", "Host: app", ""), lines("HTTP/1.1 204 No Content", "Content-Length: 10", "")},
        {lines("POST /continue HTTP/1.1", "Host: app", "Expect: 100-continue", "Content-Length: 2", "") + "hi",
            lines("HTTP/1.1 100 Continue", "", "HTTP/1.1 103 Early Hints", "Link: </a>", "",
                    "HTTP/1.1 200 OK", "Content-Length: 4", "") + "done"},
        {lines("GET /latin1 HTTP/1.1", "Host: app", "X-Name: caf\u00e9 \u00ff", "X-Dup: 1", "X-Dup: 2", "X-Ws: \t a  b \t", ""),
            lines("HTTP/1.1 404 Not Found", "Content-Length: 0", "")},
        {lines("GET /big HTTP/1.1", "Host: app", "Cookie: " + "c".repeat(20_000), ""),
            lines("HTTP/1.1 200 OK", "Set-Cookie: " + "s".repeat(20_000), "Content-Length: 1", "") + "z"},
        {lines("GET /last HTTP/1.1", "Host: app", ""),
            lines("HTTP/1.1 200", "Transfer-Encoding: gzip", "") + "until the app closes"},
    };

    @Test
    void exchangesAfterDroppedOnesAreCapturedAsIfNoneWereDropped() {
        Gate all = run(EXCHANGES, i -> true, false);
        assertThat(all.exchanges).hasSize(EXCHANGES.length);
        for (int skip = 0; skip < 2; skip++) {
            int dropped = skip;
            Gate some = run(EXCHANGES, i -> i % 2 != dropped, false);

            assertThat(some.giveUps).isEmpty();
            assertThat(some.asked).isEqualTo(EXCHANGES.length);
            List<HttpExchangeRecord> expected = all.exchanges.stream().filter(e -> e.sequence() % 2 != dropped).toList();
            assertThat(some.exchanges).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertSameCapture(some.exchanges.get(i), expected.get(i));
            }
        }
    }

    @Test
    void aDroppedExchangesMalformedHeadMakesTheDecoderGiveUpAlike() {
        String ok = lines("GET / HTTP/1.1", "Host: app", "");
        String okResponse = lines("HTTP/1.1 200 OK", "Content-Length: 0", "");
        String[][] bad = {
            {lines("GET /fold HTTP/1.1", "X-Long: first", " continued", ""), okResponse},
            {lines("GET /ws HTTP/1.1", "Host : app", ""), okResponse},
            {"GET /cr HTTP/1.1\r\nX-A: a\rb\r\n\r\n", okResponse},
            {"GET /nul HTTP/1.1\r\nX-A: a\0b\r\n\r\n", okResponse},
            {lines("POST /cl HTTP/1.1", "Content-Length: 1", "Content-Length: 2", ""), okResponse},
            {lines("POST /te HTTP/1.1", "Transfer-Encoding: gzip", ""), okResponse},
            {ok, lines("HTTP/1.1 200 OK", "Content-Length: x", "")},
            {ok, lines("HTTP/1.1 200 OK", "Bad Name: x", "")},
            {ok, lines("HTTP/1.1 20x OK", "")},
        };
        for (String[] exchange : bad) {
            String[][] twoExchanges = {{ok, okResponse}, exchange};
            Gate kept = run(twoExchanges, i -> true, false);
            Gate dropped = run(twoExchanges, i -> i == 0, false);

            assertThat(kept.giveUps).as(exchange[0] + exchange[1]).hasSize(1);
            assertThat(dropped.giveUps).as(exchange[0] + exchange[1]).isEqualTo(kept.giveUps);
            assertThat(dropped.exchanges).extracting(HttpExchangeRecord::sequence).containsExactly(0L);
        }
    }

    @Test
    void aDroppedRequestReachesOnRequestOnlyWhenTheListenerObservesDroppedOnes() {
        Gate quiet = run(EXCHANGES, i -> i == 0, false);
        Gate observing = run(EXCHANGES, i -> i == 0, true);
        Gate all = run(EXCHANGES, i -> true, false);

        assertThat(quiet.requests).extracting(RequestHead::target).containsExactly("/length");
        assertThat(observing.requests).hasSize(EXCHANGES.length);
        for (int i = 0; i < EXCHANGES.length; i++) {
            assertSameHead(observing.requests.get(i), all.requests.get(i));
        }
    }

    @Test
    void headerFieldsReadBackAsReceived() {
        Gate all = run(EXCHANGES, i -> true, false);

        RequestHead latin1 = all.requests.get(5);
        assertThat(latin1.headers()).containsExactly(new HttpHeader("Host", "app"),
                new HttpHeader("X-Name", "caf\u00e9 \u00ff"), new HttpHeader("X-Dup", "1"), new HttpHeader("X-Dup", "2"),
                new HttpHeader("X-Ws", "a  b"));
        assertThat(all.requests.get(6).header("cookie")).hasSize(20_000);
        assertThat(all.exchanges.get(6).response().header("Set-Cookie")).isEqualTo("s".repeat(20_000));
        assertThat(all.exchanges.get(1).request().trailers()).containsExactly(new HttpHeader("X-Trailer", "t"));
        assertThat(all.exchanges.get(4).interimResponses()).hasSize(2);
        assertThat(all.exchanges.get(7).response().body()).isEqualTo(bytes("until the app closes"));
    }

    private static Gate run(String[][] exchanges, IntPredicate admits, boolean observesDropped) {
        Gate gate = new Gate(admits, observesDropped);
        HttpSniffer sniffer = new HttpSniffer(SnifferLimits.defaults(), gate, () -> 42L);
        for (String[] exchange : exchanges) {
            sniffer.onClientBytes(ByteBuffer.wrap(bytes(exchange[0])));
            sniffer.onAppBytes(ByteBuffer.wrap(bytes(exchange[1])));
        }
        sniffer.onAppClosed();
        sniffer.onConnectionClosed();
        return gate;
    }

    private static void assertSameCapture(HttpExchangeRecord actual, HttpExchangeRecord expected) {
        assertThat(actual.sequence()).isEqualTo(expected.sequence());
        assertThat(actual.request().method()).isEqualTo(expected.request().method());
        assertThat(actual.request().target()).isEqualTo(expected.request().target());
        assertThat(actual.request().headers()).isEqualTo(expected.request().headers());
        assertThat(actual.request().body()).isEqualTo(expected.request().body());
        assertThat(actual.request().trailers()).isEqualTo(expected.request().trailers());
        assertThat(actual.response().statusCode()).isEqualTo(expected.response().statusCode());
        assertThat(actual.response().headers()).isEqualTo(expected.response().headers());
        assertThat(actual.response().body()).isEqualTo(expected.response().body());
        assertThat(actual.response().complete()).isEqualTo(expected.response().complete());
        assertThat(actual.interimResponses()).isEqualTo(expected.interimResponses());
        assertThat(actual.responseMissing()).isEqualTo(expected.responseMissing());
    }

    private static void assertSameHead(RequestHead actual, RequestHead expected) {
        assertThat(actual.method()).isEqualTo(expected.method());
        assertThat(actual.target()).isEqualTo(expected.target());
        assertThat(actual.version()).isEqualTo(expected.version());
        assertThat(actual.headers()).isEqualTo(expected.headers());
    }
}
