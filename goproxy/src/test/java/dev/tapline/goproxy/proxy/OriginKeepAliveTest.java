package dev.tapline.goproxy.proxy;

import static dev.tapline.goproxy.proxy.HttpForwardProxyTest.readResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.proxy.ProxyStats.Outcome;

/**
 * Plain requests through the forward proxy reuse their origin connection (a real keep-alive origin, Python's
 * http.server, counting the connections it accepted), and each exchange is still captured once.
 */
class OriginKeepAliveTest {
    private ProxyUnderTest proxy;
    private KeepAliveOrigin origin;

    @BeforeEach
    void start() throws Exception {
        proxy = new ProxyUnderTest(ProxyProtocol.HTTP, Duration.ofMinutes(1));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void keepAliveRequestsShareOneOriginConnectionAndEachIsCapturedOnce() throws Exception {
        origin = new KeepAliveOrigin(0);
        try (Socket s = proxy.connect()) {
            for (int i = 0; i < 5; i++) {
                send(s, "GET", "/len/r" + i);
                assertThat(readResponse(s.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nr" + i);
            }
            // pipelined: three requests in one write, answered in order over the same origin connection
            send(s, "GET", "/len/p1", "/len/p2", "/len/p3");
            for (String p : new String[] {"p1", "p2", "p3"}) {
                assertThat(readResponse(s.getInputStream())).endsWith("\r\n\r\n" + p);
            }
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> origin.connections() == 1);
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.FORWARDED)).isEqualTo(8);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.taps.opened.stream().allMatch(t -> t.closed));
        assertThat(proxy.taps.opened).hasSize(8);
        for (int i = 0; i < 5; i++) {
            RecordingTaps.Tapped tap = proxy.taps.opened.get(i);
            assertThat(tap.info.outbound()).isTrue();
            assertThat(tap.info.backendAddr()).isEqualTo(origin.hostPort());
            assertThat(tap.sent()).startsWith("GET http://" + origin.hostPort() + "/len/r" + i + " HTTP/1.1\r\n")
                    .endsWith("\r\n\r\n");
            assertThat(tap.received()).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nr" + i);
        }
    }

    @Test
    void chunkedHeadAnd204ResponsesEndByTheirFramingAndTheConnectionIsReused() throws Exception {
        origin = new KeepAliveOrigin(0);
        try (Socket s = proxy.connect()) {
            InputStream in = s.getInputStream();
            send(s, "GET", "/chunked");
            String chunked = readUntil(in, "\r\n0\r\n\r\n");
            assertThat(chunked).startsWith("HTTP/1.1 200 ").containsIgnoringCase("transfer-encoding: chunked")
                    .doesNotContainIgnoringCase("connection: close").endsWith("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n");
            send(s, "HEAD", "/len/five5");
            String head = readUntil(in, "\r\n\r\n");
            assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("content-length: 5\r\n");
            send(s, "GET", "/204");
            assertThat(readUntil(in, "\r\n\r\n")).startsWith("HTTP/1.1 204 ");
            send(s, "GET", "/len/after");
            // nothing of a body came after the HEAD's or the 204's head: the next response follows right away
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nafter");
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> origin.connections() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.taps.opened.size() == 4
                && proxy.taps.opened.stream().allMatch(t -> t.closed));
        assertThat(proxy.taps.opened.get(0).received()).endsWith("0\r\n\r\n");
    }

    @Test
    void aResponseWithoutLengthEndsWithTheOriginsCloseAndItsConnectionIsNotReused() throws Exception {
        origin = new KeepAliveOrigin(0);
        try (Socket s = proxy.connect()) {
            send(s, "GET", "/nolength");
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200 ").containsIgnoringCase("connection: close\r\n")
                    .endsWith("\r\n\r\nuntil the close");
        }
        try (Socket s = proxy.connect()) {
            send(s, "GET", "/len/next");
            assertThat(readResponse(s.getInputStream())).endsWith("\r\n\r\nnext");
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> origin.connections() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.taps.opened.size() == 2
                && proxy.taps.opened.get(0).closed);
        assertThat(proxy.taps.opened.get(0).received()).endsWith("until the close");
    }

    @Test
    void anIdleConnectionTheOriginClosedIsNotUsedAgain() throws Exception {
        origin = new KeepAliveOrigin(0.3); // http.server closes a connection idle for 0.3 s
        try (Socket s = proxy.connect()) {
            send(s, "GET", "/len/one");
            assertThat(readResponse(s.getInputStream())).endsWith("\r\n\r\none");
            Thread.sleep(1000);
            send(s, "GET", "/len/two");
            assertThat(readResponse(s.getInputStream())).endsWith("\r\n\r\ntwo");
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> origin.connections() == 2);
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.FORWARDED)).isEqualTo(2);
    }

    @Test
    void aPooledConnectionClosedUnansweredIsRetriedOnceForAnIdempotentRequestAndCapturedOnce() throws Exception {
        origin = new KeepAliveOrigin(0);
        try (Socket s = proxy.connect()) {
            send(s, "GET", "/drop-next");
            assertThat(readResponse(s.getInputStream())).endsWith("\r\n\r\ndropping next");
            send(s, "GET", "/len/retried"); // the origin reads it on the pooled connection and closes unanswered
            assertThat(readResponse(s.getInputStream())).endsWith("\r\n\r\nretried");
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> origin.connections() == 2);
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.FORWARDED)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.taps.opened.size() == 2
                && proxy.taps.opened.stream().allMatch(t -> t.closed));
        RecordingTaps.Tapped retried = proxy.taps.opened.get(1);
        String request = "GET http://" + origin.hostPort() + "/len/retried HTTP/1.1\r\n";
        assertThat(retried.sent()).startsWith(request);
        assertThat(retried.sent().split(java.util.regex.Pattern.quote(request), -1)).hasSize(2); // sent once
        assertThat(retried.received()).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nretried");
    }

    @Test
    void aRequestWithABodyIsNotRetriedTheAppGets502() throws Exception {
        origin = new KeepAliveOrigin(0);
        try (Socket s = proxy.connect()) {
            send(s, "GET", "/drop-next");
            assertThat(readResponse(s.getInputStream())).endsWith("\r\n\r\ndropping next");
            s.getOutputStream().write(("POST http://" + origin.hostPort() + "/len/ HTTP/1.1\r\nHost: "
                    + origin.hostPort() + "\r\nContent-Length: 3\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 502 Bad Gateway\r\n").contains("closed without a response");
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> origin.connections() == 1);
    }

    private void send(Socket s, String method, String... paths) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String path : paths) {
            out.append(method).append(" http://").append(origin.hostPort()).append(path).append(" HTTP/1.1\r\nHost: ")
                    .append(origin.hostPort()).append("\r\nProxy-Connection: keep-alive\r\n\r\n");
        }
        OutputStream o = s.getOutputStream();
        o.write(out.toString().getBytes(StandardCharsets.US_ASCII));
        o.flush();
    }

    private static String readUntil(InputStream in, String end) throws Exception {
        StringBuilder got = new StringBuilder();
        while (!got.toString().endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed after: " + got);
            }
            got.append((char) b);
        }
        return got.toString();
    }
}
