package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.HttpExchangeRecord;

/**
 * Issue 24: a head's field lines are parsed in the same pass that looks for the head's end, and a bad line is
 * reported only once its head is complete. A dropped exchange is framed by that pass alone, so whatever its framing
 * (Content-Length, chunked with extensions and trailers, HEAD, 1xx, 204, 304, a refused Upgrade, bare LF line ends,
 * many fields), the exchange after it, kept alive or pipelined, must be captured byte for byte as if it had been
 * captured too, however the bytes are split ({@link Scenario} replays every split and byte by byte).
 */
class HttpSnifferOnePassHeadTest {

    /** The exchange every case is followed by: a chunked request with a trailer, a chunked response with one. */
    private static final String NEXT_REQUEST = lines("POST /next HTTP/1.1", "Host: app", "Transfer-Encoding: chunked",
            "X-Tab:\tvalue\twith tabs ", "") + "4;ext=1\r\nbody\r\n0\r\nX-Sum: 1\r\n\r\n";
    private static final String NEXT_RESPONSE = lines("HTTP/1.1 201 Created", "Content-Type: text/plain",
            "Transfer-Encoding: chunked", "") + "2\r\nok\r\n0\r\nX-Done: yes\r\n\r\n";

    /** Request and response of the exchange to drop, framed each way HTTP/1 knows but a close. */
    private static final String[][] DROPPED = {
        {lines("POST /length HTTP/1.1", "Host: app", "Content-Length: 5", "") + "hello",
            lines("HTTP/1.1 200 OK", "Content-Length: 3", "") + "abc"},
        {lines("POST /chunked HTTP/1.1", "Host: app", "Transfer-Encoding: gzip, chunked", "")
                + "3;a=b\r\nabc\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n",
            lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "") + "A\r\n0123456789\r\n0\r\n\r\n"},
        {lines("HEAD /head HTTP/1.1", "Host: app", ""),
            lines("HTTP/1.1 200 OK", "Content-Length: 1000", "Transfer-Encoding: chunked", "")},
        {lines("POST /continue HTTP/1.1", "Host: app", "Expect: 100-continue", "Content-Length: 2", "") + "hi",
            lines("HTTP/1.1 100 Continue", "", "HTTP/1.1 103 Early Hints", "Link: </a>", "Link: </b>", "",
                    "HTTP/1.1 200 OK", "Content-Length: 4", "") + "done"},
        {lines("GET /empty HTTP/1.1", "Host: app", ""), lines("HTTP/1.1 204 No Content", "Content-Length: 10", "")},
        {lines("GET /cached HTTP/1.1", "Host: app", "If-None-Match: \"x\"", ""),
            lines("HTTP/1.1 304 Not Modified", "Content-Length: 7", "ETag: \"x\"", "")},
        {lines("GET /upgrade HTTP/1.1", "Host: app", ""),
            lines("HTTP/1.1 426 Upgrade Required", "Upgrade: TLS/1.2, HTTP/1.1", "Connection: Upgrade",
                    "Content-Length: 4", "") + "nope"},
        {"GET /bare-lf HTTP/1.1\nHost: app\nX-Latin1: caf\u00e9\n\n",
            "HTTP/1.1 200 OK\nContent-Length: 2\n\nlf"},
        {lines("GET /many HTTP/1.1", manyFields("X-Req-")) + "\r\n",
            lines("HTTP/1.1 200 OK", manyFields("X-Resp-"), "Content-Length: 1") + "\r\nz"},
    };

    private static String manyFields(String prefix) {
        StringBuilder fields = new StringBuilder("Host: app");
        for (int i = 0; i < 40; i++) {
            fields.append("\r\n").append(prefix).append(i).append(": ").append("v".repeat(i));
        }
        return fields.toString();
    }

    @Test
    void theExchangeAfterADroppedOneIsCapturedByteForByteKeptAliveOrPipelined() {
        for (String[] dropped : DROPPED) {
            for (boolean pipelined : new boolean[] {false, true}) {
                List<HttpExchangeRecord> all = connection(dropped, pipelined).run().exchanges();
                assertThat(all).as(dropped[0]).hasSize(2);

                Scenario.Outcome out = connection(dropped, pipelined).admitting(i -> i == 1).run();

                assertThat(out.gaveUp()).isFalse();
                assertThat(out.exchanges()).as("%s, pipelined %s", dropped[0], pipelined).containsExactly(all.get(1));
                HttpExchangeRecord next = out.exchange(0);
                assertThat(next.request().target()).isEqualTo("/next");
                assertThat(next.request().body()).isEqualTo(Scenario.bytes("body"));
                assertThat(next.request().header("X-Tab")).isEqualTo("value\twith tabs");
                assertThat(next.response().statusCode()).isEqualTo(201);
                assertThat(next.response().body()).isEqualTo(Scenario.bytes("ok"));
                assertThat(next.response().trailers()).extracting(h -> h.name() + "=" + h.value())
                        .containsExactly("X-Done=yes");
            }
        }
    }

    private static Scenario connection(String[] dropped, boolean pipelined) {
        Scenario scenario = Scenario.create();
        if (pipelined) {
            scenario.at(10).client(dropped[0] + NEXT_REQUEST).at(20).app(dropped[1] + NEXT_RESPONSE);
        } else {
            scenario.at(10).client(dropped[0]).at(20).app(dropped[1])
                    .at(30).client(NEXT_REQUEST).at(40).app(NEXT_RESPONSE);
        }
        return scenario.connectionClosed();
    }

    @Test
    void aBadLineIsReportedOnceItsHeadIsCompleteAsTheHeadsFirstBadLine() {
        assertGivesUp(lines("GET / HTTP/1.1", "Host: app", "No colon here", " folded", ""), "header line without colon");
        assertGivesUp(lines("GET / HTTP/1.1", " folded", "No colon here", ""),
                "obsolete line folding in header section");
        assertGivesUp("GET / HTTP/1.1\r\nX-A: a\0b\r\nX-B: c\rd\r\n\r\n", "NUL in header section");
        assertGivesUp("GET / HTTP/1.1\r\nX-B: c\rd\r\nX-A: a\0b\r\n\r\n", "bare CR in header section");
        assertGivesUp("GET / HTTP/1.1\r\nBad Name: a\0b\r\n\r\n", "NUL in header section"); // the NUL comes first
        // the start line is read first, whatever follows it
        assertGivesUp(lines("GET  / HTTP/1.1", "No colon here", ""), "malformed request line");
        assertGivesUp("GET / HTTP/1.1\rX\r\nNo colon here\r\n\r\n", "bare CR in header section");
        assertGivesUp(lines("GET / HTTP/1.1", "X-Count: 1", "X-Count: 2", "X-Count: 3", "Bad Name: 4", ""),
                "more than 2 header fields", new SnifferLimits(1024, 1024, 2));
        // a head that never ends is too large, whatever bad line it holds
        assertGivesUp(lines("GET / HTTP/1.1", "No colon here", "X-Long: " + "x".repeat(200)),
                "header section larger than 128 bytes", new SnifferLimits(1024, 128, 10));
    }

    @Test
    void aBadLineInAHeadThatNeverEndsIsNoGiveUp() {
        Scenario.Outcome out = Scenario.create()
                .at(10).client(lines("GET /ok HTTP/1.1", "Host: app", ""))
                .at(20).app(lines("HTTP/1.1 200 OK", "Content-Length: 0", ""))
                .at(30).client(lines("GET /cut HTTP/1.1", "No colon here", "X-A: a\0b"))
                .clientClosed().appClosed().connectionClosed()
                .run();

        assertThat(out.listener().giveUpReasons()).isEmpty();
        assertThat(out.exchanges()).extracting(e -> e.request().target()).containsExactly("/ok");
    }

    private static void assertGivesUp(String request, String reason) {
        assertGivesUp(request, reason, SnifferLimits.defaults());
    }

    /** The request, dropped or captured, makes the decoder give up for {@code reason}, once its head is complete. */
    private static void assertGivesUp(String request, String reason, SnifferLimits limits) {
        for (boolean captured : new boolean[] {false, true}) {
            Scenario.Outcome out = Scenario.create().limits(limits).admitting(i -> captured).expectGiveUp()
                    .at(10).client(request)
                    .run();
            assertThat(out.listener().giveUpReasons()).as(request).containsExactly(reason);
        }
    }
}
