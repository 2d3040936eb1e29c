package dev.tapline.goproxy.proxy;

import static dev.tapline.goproxy.proxy.ProxyUnderTest.curl;
import static dev.tapline.goproxy.proxy.ProxyUnderTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.goproxy.capture.HttpExchangeRecord;
import dev.tapline.goproxy.support.CapturedExchanges;
import dev.tapline.goproxy.support.LogRecords;
import dev.tapline.goproxy.support.TestCerts;
import dev.tapline.goproxy.support.TlsHttpBackend;
import dev.tapline.goproxy.tls.TlsIntercept;
import dev.tapline.goproxy.tls.TlsOutSettings;
import dev.tapline.goproxy.tls.TlsSession;
import dev.tapline.goproxy.tls.TlsStats;
import dev.tapline.goproxy.tls.UnwrapSession;

/**
 * TLS_OUT_UNWRAP on the real forward proxy: curl through CONNECT and SOCKS5 to real HTTPS upstreams (Vert.x, h2 and
 * http/1.1), trusting goproxy's own CA (created by the test's TlsIntercept in a temporary folder). The upstream's
 * certificate comes from a test CA goproxy trusts through TLS_OUT_CA, or from one it does not know.
 */
class TlsOutUnwrapTest {
    @TempDir
    Path dir;
    private final TlsStats tlsStats = new TlsStats();
    private final CapturedExchanges captured = new CapturedExchanges();
    private TestCerts upstreamCa;
    private TlsHttpBackend upstream;
    private TlsHttpBackend impostor;
    private TlsIntercept intercept;
    private ProxyUnderTest proxy;

    @BeforeEach
    void start() throws Exception {
        upstreamCa = TestCerts.ca(dir, "upstream");
        TestCerts.Leaf leaf = upstreamCa.leaf("api.test");
        upstream = new TlsHttpBackend(leaf.writeChain("api"), leaf.writePkcs8("api"), true);
        intercept = TlsIntercept.create(new TlsOutSettings(dir.resolve("goproxy-ca"), upstreamCa.caFile(), null, null,
                Duration.ofSeconds(10)), tlsStats);
    }

    private void startProxy(ProxyProtocol protocol) throws Exception {
        proxy = new ProxyUnderTest(protocol, Duration.ofMinutes(1), captured.taps(), intercept);
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        intercept.close();
        upstream.close();
        if (impostor != null) {
            impostor.close();
        }
    }

    /** curl through the proxy, trusting only goproxy's CA; returns the headers and body it printed. */
    private ProxyUnderTest.Result curlVia(String proxyOption, String proxyUrl, String... args) throws Exception {
        List<String> c = new ArrayList<>(curl("-D", "-", "--cacert", intercept.ca().certFile().toString(),
                proxyOption, proxyUrl));
        c.addAll(List.of(args));
        return run(c.toArray(String[]::new));
    }

    private String upstreamUrl(String path) {
        return "https://localhost:" + upstream.port() + path;
    }

    @Test
    void curlThroughConnectGetsTheUpstreamsAnswerAndTheDecodedExchangeIsCapturedOutbound() throws Exception {
        startProxy(ProxyProtocol.HTTP);
        var r = curlVia("-x", proxy.url(), "--http1.1", upstreamUrl("/orders?id=7"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("HTTP/1.1 200", "x-backend-tls: true", "x-backend-version: HTTP_1_1")
                .endsWith(TlsHttpBackend.BODY);

        await().atMost(Duration.ofSeconds(5)).until(() -> captured.http.size() == 1);
        CapturedExchanges.Http c = captured.http.peek();
        assertThat(c.connection().outbound()).isTrue();
        assertThat(c.connection().backendAddr()).isEqualTo("localhost:" + upstream.port());
        HttpExchangeRecord x = c.exchange();
        assertThat(x.request().method()).isEqualTo("GET");
        assertThat(x.request().target()).isEqualTo("/orders?id=7");
        assertThat(x.request().header("host")).isEqualTo("localhost:" + upstream.port());
        assertThat(x.response().statusCode()).isEqualTo(200);
        assertThat(new String(x.response().body(), StandardCharsets.UTF_8)).isEqualTo(TlsHttpBackend.BODY);
        TlsSession tls = c.connection().tls();
        assertThat(tls.unwrapped()).isTrue();
        assertThat(tls.sni()).isEqualTo("localhost");
        assertThat(tls.alpn()).isEqualTo("http/1.1");
        assertThat(tls.version()).startsWith("TLSv1.");
        assertThat(tlsStats.outbound().ok.sum()).isEqualTo(1);
        assertThat(tlsStats.ok.sum()).as("TLS_IN_UNWRAP's counters").isZero();
    }

    /**
     * The upstream gets a server name for any host name, dotless ones too (the TLS stacks add SNI on their own only
     * for names with a dot): the app's SNI (curl sends "localhost"), else the tunnel's host (Java's SSLSocket sends
     * no SNI for "localhost"); never an IP literal. The upstream (Vert.x) answers the name it received.
     */
    @Test
    void theUpstreamGetsTheSniForDotlessHostNamesButNotForIpLiterals() throws Exception {
        startProxy(ProxyProtocol.HTTP);
        var curlLocalhost = curlVia("-x", proxy.url(), "--http1.1", upstreamUrl("/sni"));
        assertThat(curlLocalhost.exit()).as(curlLocalhost.err()).isZero();
        assertThat(curlLocalhost.out()).contains("x-backend-sni: localhost");

        var curlIp = curlVia("-x", proxy.url(), "--http1.1", "https://127.0.0.1:" + upstream.port() + "/sni");
        assertThat(curlIp.exit()).as(curlIp.err()).isZero();
        assertThat(curlIp.out()).contains("x-backend-sni: none");

        assertThat(javaSocketThroughConnect("localhost", "/sni")).startsWith("HTTP/1.1 200")
                .contains("x-backend-sni: localhost");
        await().atMost(Duration.ofSeconds(5)).until(() -> captured.http.size() == 3);
        assertThat(captured.http).as("curl by IP and Java's SSLSocket sent goproxy no SNI")
                .filteredOn(c -> c.connection().tls().sni() == null).hasSize(2);
    }

    /**
     * Java's SSLSocket as the app, through a CONNECT tunnel to {@code host}, trusting goproxy's CA: one request,
     * the answer as text. The JDK sends SNI only for names with a dot.
     */
    private String javaSocketThroughConnect(String host, String path) throws Exception {
        javax.net.ssl.SSLContext ssl = TestCerts.trustOnly(intercept.ca().certFile());
        try (java.net.Socket raw = proxy.tunnel(host, upstream.port())) {
            try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ssl.getSocketFactory().createSocket(raw, host,
                    upstream.port(), true)) {
                var params = s.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(params);
                s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }

    @Test
    void theAppGetsH2WhenTheUpstreamChoosesItAndTheStreamIsDecoded() throws Exception {
        startProxy(ProxyProtocol.HTTP);
        var r = curlVia("-x", proxy.url(), "--http2", "--data-binary", "qty=2", upstreamUrl("/echo"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("HTTP/2 200", "x-backend-version: HTTP_2").endsWith("qty=2");

        await().atMost(Duration.ofSeconds(5)).until(() -> captured.http2.size() == 1);
        CapturedExchanges.Http2 c = captured.http2.peek();
        assertThat(c.connection().outbound()).isTrue();
        assertThat(c.connection().tls().alpn()).isEqualTo("h2");
        assertThat(c.stream().authority()).isEqualTo("localhost:" + upstream.port());
        assertThat(c.stream().scheme()).isEqualTo("https");
        assertThat(c.stream().exchange().request().method()).isEqualTo("POST");
        assertThat(new String(c.stream().exchange().request().body(), StandardCharsets.UTF_8)).isEqualTo("qty=2");
        assertThat(new String(c.stream().exchange().response().body(), StandardCharsets.UTF_8)).isEqualTo("qty=2");
        assertThat(captured.http).isEmpty();
    }

    @Test
    void aLeafIsMintedOncePerHostNameAndReused() throws Exception {
        startProxy(ProxyProtocol.HTTP);
        for (String url : List.of(upstreamUrl("/a"), upstreamUrl("/b"), "https://127.0.0.1:" + upstream.port() + "/c",
                upstreamUrl("/d"))) {
            var r = curlVia("-x", proxy.url(), url);
            assertThat(r.exit()).as(url + ": " + r.err()).isZero();
        }
        assertThat(tlsStats.outbound().leavesMinted.sum()).isEqualTo(2); // localhost and 127.0.0.1 (an IP SAN)
        assertThat(intercept.cachedLeaves()).isEqualTo(2);
        assertThat(tlsStats.outbound().ok.sum()).isEqualTo(4);
    }

    /** An HTTPS upstream whose certificate comes from a CA goproxy does not know. */
    private void startImpostor() throws Exception {
        TestCerts unknown = TestCerts.ca(dir, "unknown");
        TestCerts.Leaf leaf = unknown.leaf("evil.test");
        impostor = new TlsHttpBackend(leaf.writeChain("evil"), leaf.writePkcs8("evil"), true);
    }

    @Test
    void anUpstreamCertificateFromAnUnknownCaFailsTheAppsHandshakeWithAWarnAndNoCapture() throws Exception {
        startImpostor();
        startProxy(ProxyProtocol.HTTP);
        try (LogRecords log = new LogRecords(UnwrapSession.class)) {
            var r = curlVia("-x", proxy.url(), "https://localhost:" + impostor.port() + "/secret");
            assertThat(r.exit()).as("curl must fail: " + r.out()).isNotZero();
            assertThat(r.out()).doesNotContain(TlsHttpBackend.BODY);
            await().atMost(Duration.ofSeconds(5)).until(() -> !log.records().isEmpty());
            ExtLogRecord warn = log.records().get(0);
            assertThat(warn.getLevel().getName()).isEqualTo("WARN");
            assertThat(warn.getMessage()).isEqualTo("TLS handshake failed");
            assertThat(warn.getParameters()[0].toString())
                    .contains("reason=handshake with the upstream failed:")
                    .contains("upstream=localhost:" + impostor.port());
        }
        assertThat(tlsStats.outbound().appFailed.sum()).isEqualTo(1);
        assertThat(tlsStats.outbound().ok.sum()).isZero();
        Thread.sleep(200); // a capture, were one made, would be on its way by now
        assertThat(captured.http).isEmpty();
        assertThat(captured.http2).isEmpty();
    }

    /**
     * An upstream certificate that does not verify ends the app's handshake with a TLS alert from goproxy, not a bare
     * close: curl (OpenSSL) and Java's SSLSocket both report the alert (a handshake failure), and the WARN line names
     * the upstream and the reason.
     */
    @Test
    void theAppIsToldOfAnUnverifiedUpstreamWithAHandshakeFailureAlert() throws Exception {
        startImpostor();
        startProxy(ProxyProtocol.HTTP);
        try (LogRecords log = new LogRecords(UnwrapSession.class)) {
            var r = curlVia("-x", proxy.url(), "https://localhost:" + impostor.port() + "/secret");
            assertThat(r.exit()).as("curl: " + r.err()).isEqualTo(35); // CURLE_SSL_CONNECT_ERROR
            assertThat(r.err()).containsIgnoringCase("alert handshake failure");

            TlsHttpBackend real = upstream;
            upstream = impostor; // javaSocketThroughConnect dials upstream's port
            try {
                assertThatThrownBy(() -> javaSocketThroughConnect("localhost", "/secret"))
                        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                        .hasMessageContaining("Received fatal alert: handshake_failure");
            } finally {
                upstream = real;
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> log.records().size() == 2);
            for (ExtLogRecord warn : log.records()) {
                assertThat(warn.getLevel().getName()).isEqualTo("WARN");
                assertThat(warn.getParameters()[0].toString())
                        .contains("upstream=localhost:" + impostor.port())
                        .containsPattern("reason=handshake with the upstream failed: .*unable to find valid certification path");
            }
        }
        assertThat(tlsStats.outbound().appFailed.sum()).isEqualTo(2);
        assertThat(tlsStats.outbound().clientFailed.sum()).as("counted once, as the upstream's").isZero();
        assertThat(tlsStats.outbound().leavesMinted.sum()).as("nothing impersonated").isZero();
    }

    @Test
    void socks5WithTheHostNameIsUnwrappedToo() throws Exception {
        startProxy(ProxyProtocol.SOCKS);
        var r = curlVia("--socks5-hostname", "127.0.0.1:" + proxy.port(), "--http1.1", upstreamUrl("/via-socks"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("x-backend-tls: true").endsWith(TlsHttpBackend.BODY);
        await().atMost(Duration.ofSeconds(5)).until(() -> captured.http.size() == 1);
        CapturedExchanges.Http c = captured.http.peek();
        assertThat(c.connection().outbound()).isTrue();
        assertThat(c.connection().backendAddr()).isEqualTo("localhost:" + upstream.port());
        assertThat(c.exchange().request().target()).isEqualTo("/via-socks");
        assertThat(c.connection().tls().unwrapped()).isTrue();
    }

    @Test
    void plaintextInsideATunnelIsRelayedAndDecodedAsBefore() throws Exception {
        TlsHttpBackend plain = new TlsHttpBackend(null, null, false);
        try {
            startProxy(ProxyProtocol.HTTP);
            var r = run(curl("-p", "-x", proxy.url(), "http://127.0.0.1:" + plain.port() + "/plain")
                    .toArray(String[]::new));
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo(TlsHttpBackend.BODY);
            await().atMost(Duration.ofSeconds(5)).until(() -> captured.http.size() == 1);
            assertThat(captured.http.peek().connection().tls()).isNull();
            assertThat(captured.http.peek().exchange().request().target()).isEqualTo("/plain");
        } finally {
            plain.close();
        }
    }

    @Test
    void anUpstreamCertificateThatDoesNotNameTheHostTheAppAskedForIsRefused() throws Exception {
        startProxy(ProxyProtocol.HTTP);
        try (LogRecords log = new LogRecords(UnwrapSession.class)) {
            // openssl as the app: CONNECT localhost:port through goproxy, then a ClientHello for another name
            Process p = new ProcessBuilder("openssl", "s_client", "-proxy", "127.0.0.1:" + proxy.port(), "-connect",
                    "localhost:" + upstream.port(), "-servername", "shop.example.com", "-CAfile",
                    intercept.ca().certFile().toString()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(p.waitFor()).as(out).isNotZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> !log.records().isEmpty());
            assertThat(log.records().get(0).getParameters()[0].toString())
                    .contains("sni=shop.example.com", "upstream=localhost:" + upstream.port())
                    .containsIgnoringCase("shop.example.com");
        }
        assertThat(tlsStats.outbound().appFailed.sum()).isEqualTo(1);
        assertThat(tlsStats.outbound().leavesMinted.sum()).as("nothing is shown to the app").isZero();
    }

    @Test
    void theMutualCertificateIsPresentedToAnUpstreamThatAsksForOne() throws Exception {
        TestCerts clients = TestCerts.ca(dir, "clients");
        TestCerts.Leaf server = upstreamCa.leaf("mtls.test");
        TlsHttpBackend mtls = new TlsHttpBackend(server.writeChain("mtls"), server.writePkcs8("mtls"), false,
                clients.caFile());
        try {
            startProxy(ProxyProtocol.HTTP);
            var refused = curlVia("-x", proxy.url(), "https://localhost:" + mtls.port() + "/no-client-cert");
            assertThat(refused.exit()).as("without TLS_MUTUAL_*: " + refused.out()).isNotZero();
            proxy.close();

            TestCerts.Leaf client = clients.leaf("goproxy-client");
            intercept.close();
            intercept = TlsIntercept.create(new TlsOutSettings(dir.resolve("goproxy-ca"), upstreamCa.caFile(),
                    client.writeChain("client"), client.writePkcs8("client"), Duration.ofSeconds(10)), tlsStats);
            startProxy(ProxyProtocol.HTTP);
            var r = curlVia("-x", proxy.url(), "https://localhost:" + mtls.port() + "/with-client-cert");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("x-backend-client: CN=goproxy-client").endsWith(TlsHttpBackend.BODY);
            await().atMost(Duration.ofSeconds(5)).until(() -> captured.http.size() == 1);
            assertThat(captured.http.peek().exchange().request().target()).isEqualTo("/with-client-cert");
        } finally {
            mtls.close();
        }
    }

    @Test
    void javasHttpClientAndPythonTrustingGoproxysCaGoThroughTheProxy() throws Exception {
        startProxy(ProxyProtocol.HTTP);
        javax.net.ssl.SSLContext ssl = TestCerts.trustOnly(intercept.ca().certFile());
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(ssl)
                .proxy(java.net.ProxySelector.of(new java.net.InetSocketAddress("127.0.0.1", proxy.port()))).build();
        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(upstreamUrl("/java")))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(TlsHttpBackend.BODY);

        ProcessBuilder pb = new ProcessBuilder("python3", "-c", "import ssl,sys,urllib.request;"
                + " ctx=ssl.create_default_context(cafile=sys.argv[2]);"
                + " ctx.verify_flags |= getattr(ssl, 'VERIFY_X509_STRICT', 0);"
                + " print(urllib.request.urlopen(sys.argv[1], timeout=20, context=ctx).read().decode(), end='')",
                upstreamUrl("/python"), intercept.ca().certFile().toString()).redirectErrorStream(true);
        pb.environment().put("https_proxy", proxy.url());
        pb.environment().remove("no_proxy");
        pb.environment().remove("NO_PROXY");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).isEqualTo(TlsHttpBackend.BODY);
        await().atMost(Duration.ofSeconds(5)).until(() -> captured.http.size() + captured.http2.size() == 2);
    }

    @Test
    void concurrentFirstConnectionsToOneHostShareOneMintedLeaf() throws Exception {
        startProxy(ProxyProtocol.HTTP);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<ProxyUnderTest.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String url = upstreamUrl("/parallel/" + i);
                runs.add(pool.submit(() -> curlVia("-x", proxy.url(), url)));
            }
            for (var run : runs) {
                ProxyUnderTest.Result r = run.get();
                assertThat(r.exit()).as(r.err()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(tlsStats.outbound().leavesMinted.sum()).isEqualTo(1);
        assertThat(tlsStats.outbound().ok.sum()).isEqualTo(6);
    }

    @Test
    void anAppThatStallsInItsHandshakeIsClosedAfterTheHandshakeTimeoutAndCounted() throws Exception {
        intercept.close();
        intercept = TlsIntercept.create(new TlsOutSettings(dir.resolve("goproxy-ca"), upstreamCa.caFile(), null, null,
                Duration.ofMillis(300)), tlsStats);
        startProxy(ProxyProtocol.HTTP);
        try (java.net.Socket s = proxy.connect()) {
            s.getOutputStream().write(("CONNECT localhost:" + upstream.port() + " HTTP/1.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] established = "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(s.getInputStream().readNBytes(established.length)).isEqualTo(established);
            s.getOutputStream().write(new byte[] { 0x16, 0x03, 0x01, 0x01, 0x00, 0x01 }); // a ClientHello's start only
            long t0 = System.nanoTime();
            assertThat(s.getInputStream().read()).as("closed by goproxy").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> tlsStats.outbound().timedOut.sum() == 1);
        assertThat(captured.http).isEmpty();
    }
}
