package dev.tapline.goproxy.capture.http1;

import static dev.tapline.goproxy.capture.http1.Scenario.lines;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.capture.HttpExchangeRecord;

/**
 * Issue 24: a connection whose exchanges are dropped while the capture queue is full and captured again once it
 * has room. A dropped exchange is only a stand-in in the response FIFO and reads no clock, yet the decoder must
 * stay in step with the bytes: every captured exchange, before or after dropped ones, pipelined or not, is
 * recorded exactly as if none had been dropped, times included, however the bytes are split.
 */
class HttpSnifferDropAlternationTest {

    /** Framing of every kind, a HEAD and a 204 and a 304 with a length, 1xx, a head split over two reads. */
    private static Scenario connection() {
        return Scenario.create()
                .at(10).client(lines("POST /0 HTTP/1.1", "Host: h", "Content-Length: 5", "") + "hello"
                        + lines("HEAD /1 HTTP/1.1", "Host: h", "")
                        + lines("POST /2 HTTP/1.1", "Host: h", "Transfer-Encoding: chunked", "")
                        + "3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n"
                        + lines("GET /3 HTTP/1.1", "Host: h", ""))
                .at(20).app(lines("HTTP/1.1 200 OK", "Content-Length: 3", "") + "one"
                        + lines("HTTP/1.1 200 OK", "Content-Length: 1000", "")
                        + lines("HTTP/1.1 100 Continue", "")
                        + lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", "") + "3\r\ntwo\r\n0\r\n\r\n")
                .at(30).app(lines("HTTP/1.1 204 No Content", "Content-Length: 10", ""))
                .at(40).client(lines("GET /4 HTTP/1.1", "Host: h", "") + lines("HEAD /5 HTTP/1.1", "Host: h", ""))
                .at(50).app(lines("HTTP/1.1 304 Not Modified", "Content-Length: 7", "")
                        + lines("HTTP/1.1 200 OK", "Transfer-Encoding: chunked", ""))
                .at(60).client("GET /6 HTTP/1.1\r\nHo")
                .at(65).client("st: h\r\n\r\n")
                .at(70).app(lines("HTTP/1.1 103 Early Hints", "Link: </a>", "")
                        + lines("HTTP/1.1 200 OK", "Content-Length: 4", "") + "done")
                .at(80).client(lines("GET /7 HTTP/1.1", "Host: h", ""))
                .at(90).app(lines("HTTP/1.1 200 OK", "Transfer-Encoding: gzip", "") + "until the app closes")
                .at(100).appClosed()
                .connectionClosed();
    }

    @Test
    void everyCapturedExchangeIsDecodedExactlyWhateverWasDroppedAroundIt() {
        List<HttpExchangeRecord> all = connection().run().exchanges();
        assertThat(all).extracting(HttpExchangeRecord::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(all).extracting(HttpExchangeRecord::requestStartNanos).containsExactly(10L, 10L, 10L, 10L, 40L,
                40L, 60L, 80L);
        assertThat(all).extracting(HttpExchangeRecord::responseEndNanos).containsExactly(20L, 20L, 20L, 30L, 50L,
                50L, 70L, 90L);

        List<Set<Integer>> admitted = List.of(
                Set.of(3, 4, 5, 6, 7),    // full, then free
                Set.of(0, 1, 2),          // free, then full
                Set.of(0, 2, 4, 6),       // every other one
                Set.of(1, 3, 5, 7),
                Set.of(0, 5),             // full for a long stretch in between
                Set.of(6),
                Set.of(7),
                Set.of());
        for (Set<Integer> captured : admitted) {
            IntPredicate admits = captured::contains;
            Scenario.Outcome out = connection().admitting(admits).run();

            assertThat(out.gaveUp()).isFalse();
            List<HttpExchangeRecord> expected = all.stream().filter(e -> admits.test((int) e.sequence())).toList();
            assertThat(out.exchanges()).as("captured %s", captured).isEqualTo(expected);
            assertThat(out.listener().responses()).extracting(RecordingListener.ResponseEvent::sequence)
                    .as("captured %s", captured)
                    .containsExactlyElementsOf(expected.stream().map(HttpExchangeRecord::sequence).toList());
        }
    }
}
