package dev.tapline.goproxy.proxy;

import static dev.tapline.goproxy.proxy.ProxyUnderTest.curl;
import static dev.tapline.goproxy.proxy.ProxyUnderTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.proxy.ProxyStats.Outcome;
import dev.tapline.goproxy.support.LogRecords;

/** PROXY_PROTOCOL=http with real clients: curl -x, Java's HttpClient with a ProxySelector, Python's urllib. */
class HttpForwardProxyTest {
    private ProxyUnderTest proxy;
    private EchoBackend shop;
    private EchoBackend stock;

    @BeforeEach
    void start() throws Exception {
        proxy = new ProxyUnderTest(ProxyProtocol.HTTP, Duration.ofMinutes(1));
        shop = new EchoBackend("shop");
        stock = new EchoBackend("stock");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        shop.close();
        stock.close();
    }

    @Test
    void curlsAbsoluteUrlReachesTheOriginInOriginFormAndIsCapturedOutboundWithItsUrl() throws Exception {
        var r = run(curl("-x", proxy.url(), "http://" + shop.hostPort() + "/orders?id=7").toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("shop GET /orders?id=7 host=" + shop.hostPort() + " body=");
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.taps.opened.isEmpty() && proxy.taps.opened.get(0).closed);
        RecordingTaps.Tapped tap = proxy.taps.opened.get(0);
        assertThat(tap.info.outbound()).isTrue();
        assertThat(tap.info.backendAddr()).isEqualTo(shop.hostPort());
        assertThat(tap.sent()).startsWith("GET http://" + shop.hostPort() + "/orders?id=7 HTTP/1.1\r\n");
        assertThat(tap.received()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("shop GET /orders?id=7 host="
                + shop.hostPort() + " body=");
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.FORWARDED)).isEqualTo(1);
    }

    @Test
    void oneKeepAliveConnectionCarriesRequestsToDifferentHostsEvenPipelined() throws Exception {
        try (Socket s = proxy.connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(get(shop, "/a").getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).endsWith("shop GET /a host=" + shop.hostPort() + " body=");
            out.write(get(stock, "/b").getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).endsWith("stock GET /b host=" + stock.hostPort() + " body=");
            // pipelined: both requests in one write, answered in order
            String post = "POST http://" + shop.hostPort() + "/c HTTP/1.1\r\nHost: " + shop.hostPort()
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=y\r\n world\r\n0\r\n\r\n";
            out.write((post + get(stock, "/d")).getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).endsWith("shop POST /c host=" + shop.hostPort() + " body=hello world");
            assertThat(readResponse(in)).endsWith("stock GET /d host=" + stock.hostPort() + " body=");
        }
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.FORWARDED)).isEqualTo(4);
        assertThat(proxy.taps.opened).extracting(t -> t.info.backendAddr())
                .containsExactly(shop.hostPort(), stock.hostPort(), shop.hostPort(), stock.hostPort());
    }

    @Test
    void curlPostsABodyThroughTheProxy() throws Exception {
        var r = run(curl("-x", proxy.url(), "--data-binary", "qty=2", "http://" + shop.hostPort() + "/cart")
                .toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("shop POST /cart host=" + shop.hostPort() + " body=qty=2");
    }

    @Test
    void curlTunnelsThroughConnectAndTheTunnelsBytesAreCaptured() throws Exception {
        var r = run(curl("-p", "-x", proxy.url(), "http://" + shop.hostPort() + "/tunnelled").toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("shop GET /tunnelled host=" + shop.hostPort() + " body=");
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.TUNNEL)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.taps.opened.isEmpty());
        RecordingTaps.Tapped tap = proxy.taps.opened.get(0);
        assertThat(tap.info.outbound()).isTrue();
        assertThat(tap.info.backendAddr()).isEqualTo(shop.hostPort());
        // the capture sees what goes through the tunnel, not the CONNECT
        await().atMost(Duration.ofSeconds(5)).until(() -> tap.sent().startsWith("GET /tunnelled HTTP/1.1\r\n"));
    }

    @Test
    void javasHttpClientWithAProxySelectorGoesThroughTheProxy() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxy.port()))).build();
        for (EchoBackend b : List.of(shop, stock, shop)) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + b.hostPort() + "/java"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).endsWith("GET /java host=" + b.hostPort() + " body=");
        }
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.FORWARDED)).isEqualTo(3);
    }

    @Test
    void pythonsUrllibWithHttpProxyGoesThroughTheProxy() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("python3", "-c",
                "import urllib.request,sys; print(urllib.request.urlopen(sys.argv[1], timeout=20).read().decode(), end='')",
                "http://" + shop.hostPort() + "/py");
        pb.environment().put("http_proxy", proxy.url());
        pb.environment().remove("no_proxy");
        pb.environment().remove("NO_PROXY");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(out).isEqualTo("shop GET /py host=" + shop.hostPort() + " body=");
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.FORWARDED)).isEqualTo(1);
    }

    @Test
    void malformedRequestsGet400AndAClose() throws Exception {
        for (String bad : List.of("GARBAGE\r\n\r\n", "GET /not-absolute HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET http://x/ HTTP/1.1\r\nno colon here\r\n\r\n", "GET http://x:99999/ HTTP/1.1\r\n\r\n",
                "CONNECT no-port HTTP/1.1\r\n\r\n", "GET http://x/ HTTP/2.0\r\n\r\n",
                "POST http://x/ HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")) {
            try (Socket s = proxy.connect()) {
                s.getOutputStream().write(bad.getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).as(bad).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Connection: close");
            }
        }
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.BAD_REQUEST)).isEqualTo(7);
    }

    @Test
    void aHeadLargerThanTheLimitGets400WithoutBeingBufferedFurther() throws Exception {
        try (Socket s = proxy.connect()) {
            s.getOutputStream().write(("GET http://x/ HTTP/1.1\r\nX-Big: " + "a".repeat(HttpHead.MAX_BYTES) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n");
        } catch (java.net.SocketException reset) {
            // the proxy closed while the rest of the head was still arriving: a reset is a refusal too
        }
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.BAD_REQUEST)).isEqualTo(1);
    }

    @Test
    void anUnreachableDestinationGets502AndTheDialErrorLines() throws Exception {
        int dead = deadPort();
        try (LogRecords log = new LogRecords(relayClass())) {
            List<ExtLogRecord> records = log.records();
            var plain = run(curl("-x", proxy.url(), "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:" + dead + "/x")
                    .toArray(String[]::new));
            assertThat(plain.out()).isEqualTo("502");
            var tunnel = run(curl("-p", "-x", proxy.url(), "http://127.0.0.1:" + dead + "/x").toArray(String[]::new));
            assertThat(tunnel.exit()).isNotZero();
            assertThat(tunnel.err()).contains("502");
            await().atMost(Duration.ofSeconds(5)).until(() -> records.size() >= 4);
            assertThat(records.get(0).getMessage()).isEqualTo("dial() ERR could not connect");
            assertThat(records.get(0).getParameters()[0].toString()).isEqualTo("addr=127.0.0.1:" + dead
                    + " error=dial tcp 127.0.0.1:" + dead + ": connect: connection refused");
            assertThat(records.get(1).getFormattedMessage()).matches("DIRECT\\|127\\.0\\.0\\.1:\\d+\\.\\.\\.127\\.0\\.0\\.1:"
                    + dead + "\\|Could not connect, giving up");
        }
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.UNREACHABLE)).isEqualTo(2);
    }

    @Test
    void aTunnelOrRequestToTheProxyItselfIsRefused() throws Exception {
        for (String host : List.of("127.0.0.1", "localhost", "[::1]")) {
            try (Socket s = proxy.connect()) {
                s.getOutputStream().write(("CONNECT " + host + ":" + proxy.port() + " HTTP/1.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .startsWith("HTTP/1.1 403 Forbidden");
            }
        }
        var r = run(curl("-x", proxy.url(), "-o", "/dev/null", "-w", "%{http_code}", proxy.url() + "/loop")
                .toArray(String[]::new));
        assertThat(r.out()).isEqualTo("403");
        assertThat(proxy.count(ProxyProtocol.HTTP, Outcome.LOOP_REFUSED)).isEqualTo(4);
        assertThat(proxy.taps.opened).isEmpty();
    }

    @Test
    void anIdleProxyConnectionIsClosedAfterIdleTimeout() throws Exception {
        try (ProxyUnderTest quick = new ProxyUnderTest(ProxyProtocol.HTTP, Duration.ofMillis(300));
                Socket s = quick.connect()) {
            s.getOutputStream().write("GET http://x/ HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)); // never ends
            long started = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(5));
        }
    }

    private static Class<?> relayClass() throws ClassNotFoundException {
        return Class.forName("dev.tapline.goproxy.relay.Relay");
    }

    static int deadPort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static String get(EchoBackend b, String path) {
        return "GET http://" + b.hostPort() + path + " HTTP/1.1\r\nHost: " + b.hostPort() + "\r\nProxy-Connection: keep-alive\r\n\r\n";
    }

    /** One response with a Content-Length, read to its end. */
    static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed after: " + head);
            }
            head.append((char) b);
        }
        String h = head.toString();
        assertThat(h).doesNotContainIgnoringCase("connection: close");
        int at = h.toLowerCase().indexOf("content-length:");
        int length = Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).trim());
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
