package dev.tapline.goproxy.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tapline.goproxy.capture.ConnectionCapture;
import dev.tapline.goproxy.capture.DetectedProtocol;
import dev.tapline.goproxy.support.AlpnEchoServer;
import dev.tapline.goproxy.support.CapturedExchanges;
import dev.tapline.goproxy.support.TestCerts;
import dev.tapline.goproxy.tls.TlsIntercept;
import dev.tapline.goproxy.tls.TlsOutSettings;
import dev.tapline.goproxy.tls.TlsSession;
import dev.tapline.goproxy.tls.TlsStats;

/**
 * TLS_OUT_UNWRAP offers the upstream the app's whole ALPN list and answers the app with the upstream's choice, for
 * any protocol id: a real JDK TLS client (the app, through a CONNECT tunnel, trusting goproxy's CA) and a real JDK
 * TLS server that speaks a framed protocol of its own under the id it chose. Bytes that are not HTTP are relayed
 * and recorded as a raw TCP connection, with the TLS facts.
 */
class TlsOutAlpnTest {
    private static final byte[] FRAMES = {3, 'a', 'b', 'c', 5, 1, 2, 3, 4, 5};
    private static final byte[] ANSWERS = {3, 'c', 'b', 'a', 5, 5, 4, 3, 2, 1};

    @TempDir
    Path dir;
    private final TlsStats tlsStats = new TlsStats();
    private final CapturedExchanges captured = new CapturedExchanges();
    private TestCerts.Leaf upstreamLeaf;
    private TlsIntercept intercept;
    private ProxyUnderTest proxy;
    private AlpnEchoServer upstream;

    @BeforeEach
    void start() throws Exception {
        TestCerts upstreamCa = TestCerts.ca(dir, "upstream");
        upstreamLeaf = upstreamCa.leaf("echo.test");
        intercept = TlsIntercept.create(new TlsOutSettings(dir.resolve("goproxy-ca"), upstreamCa.caFile(), null, null,
                Duration.ofSeconds(10)), tlsStats);
        proxy = new ProxyUnderTest(ProxyProtocol.HTTP, Duration.ofMinutes(1), captured.taps(), intercept);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        intercept.close();
        if (upstream != null) {
            upstream.close();
        }
    }

    /** What the app saw: the protocol its handshake settled on and the answers to {@link #FRAMES}. */
    private record Seen(String alpn, byte[] answers) {
    }

    /** The app: CONNECT localhost:port, TLS offering {@code offer}, then the frames, reading as many bytes back. */
    private Seen appExchange(List<String> offer) throws Exception {
        try (Socket raw = proxy.tunnel("localhost", upstream.port());
                SSLSocket tls = (SSLSocket) TestCerts.trustOnly(intercept.ca().certFile()).getSocketFactory()
                        .createSocket(raw, "localhost", upstream.port(), true)) {
            SSLParameters p = tls.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setApplicationProtocols(offer.toArray(String[]::new));
            tls.setSSLParameters(p);
            tls.startHandshake();
            tls.getOutputStream().write(FRAMES);
            tls.getOutputStream().flush();
            byte[] answers = new byte[ANSWERS.length];
            new DataInputStream(tls.getInputStream()).readFully(answers);
            return new Seen(tls.getApplicationProtocol(), answers);
        }
    }

    /** The one connection record of the test, once the app's connection has ended. */
    private ConnectionCapture connectionRecord() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !captured.connections.isEmpty());
        assertThat(captured.connections).hasSize(1);
        return captured.connections.peek();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x-tapline-echo/1", "grpc-exp", "http/1.0"})
    void theAppGetsTheProtocolTheUpstreamChoseAndItsBytesAreRelayedAndRecordedAsTcp(String protocol)
            throws Exception {
        upstream = new AlpnEchoServer(upstreamLeaf.serverContext(), protocol);
        List<String> offer = List.of("h2", protocol, "http/1.1");

        Seen seen = appExchange(offer);

        assertThat(upstream.offers).as("what goproxy offered the upstream").containsExactly(offer);
        assertThat(seen.alpn()).isEqualTo(protocol);
        assertThat(seen.answers()).isEqualTo(ANSWERS);
        ConnectionCapture record = connectionRecord();
        assertThat(record.detected()).isEqualTo(DetectedProtocol.TCP);
        assertThat(record.connection().outbound()).isTrue();
        assertThat(record.connection().backendAddr()).isEqualTo("localhost:" + upstream.port());
        assertThat(record.bytesClientToApp()).isEqualTo(FRAMES.length);
        assertThat(record.bytesAppToClient()).isEqualTo(ANSWERS.length);
        TlsSession tls = record.connection().tls();
        assertThat(tls.unwrapped()).isTrue();
        assertThat(tls.alpn()).isEqualTo(protocol);
        assertThat(tls.offeredAlpn()).containsExactlyElementsOf(offer);
        assertThat(captured.http).isEmpty();
        assertThat(captured.http2).isEmpty();
        assertThat(tlsStats.outbound().ok.sum()).isEqualTo(1);
    }

    /** The upstream picks from the app's list, not goproxy: here the app's last choice, then none at all. */
    @Test
    void theAppGetsWhatTheUpstreamPickedFromItsListOrNoProtocolWhenTheUpstreamPickedNone() throws Exception {
        upstream = new AlpnEchoServer(upstreamLeaf.serverContext(), "http/1.1");
        Seen picked = appExchange(List.of("x-tapline-echo/1", "http/1.1"));
        assertThat(picked.alpn()).isEqualTo("http/1.1");
        assertThat(picked.answers()).isEqualTo(ANSWERS);

        Seen none = appExchange(List.of("x-tapline-echo/2"));
        assertThat(none.alpn()).as("no ALPN answer").isEmpty();
        assertThat(none.answers()).isEqualTo(ANSWERS);
        assertThat(upstream.offers).containsExactly(List.of("x-tapline-echo/1", "http/1.1"),
                List.of("x-tapline-echo/2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> captured.connections.size() == 2);
        assertThat(captured.connections).extracting(c -> c.connection().tls().alpn())
                .containsExactlyInAnyOrder("http/1.1", null);
    }
}
