package dev.tapline.goproxy.proxy;

import static dev.tapline.goproxy.proxy.ProxyUnderTest.curl;
import static dev.tapline.goproxy.proxy.ProxyUnderTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.proxy.ProxyStats.Outcome;

/** PROXY_PROTOCOL=socks with curl's SOCKS4, SOCKS4a and SOCKS5 clients, and hand-made bad handshakes. */
class SocksForwardProxyTest {
    private ProxyUnderTest proxy;
    private EchoBackend shop;

    @BeforeEach
    void start() throws Exception {
        proxy = new ProxyUnderTest(ProxyProtocol.SOCKS, Duration.ofMinutes(1));
        shop = new EchoBackend("shop");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        shop.close();
    }

    @Test
    void curlConnectsThroughEverySocksVersionAndTheTunnelIsCapturedOutbound() throws Exception {
        String proxyAddr = "127.0.0.1:" + proxy.port();
        List<List<String>> ways = List.of(List.of("--socks4", proxyAddr), List.of("--socks4a", proxyAddr),
                List.of("--socks5", proxyAddr), List.of("--socks5-hostname", proxyAddr));
        for (List<String> way : ways) {
            String host = way.get(0).equals("--socks4a") || way.get(0).equals("--socks5-hostname") ? "localhost" : "127.0.0.1";
            List<String> c = curl(way.get(0), way.get(1), "http://" + host + ":" + shop.port() + "/socks");
            var r = run(c.toArray(String[]::new));
            assertThat(r.exit()).as(way + r.err()).isZero();
            assertThat(r.out()).isEqualTo("shop GET /socks host=" + host + ":" + shop.port() + " body=");
        }
        assertThat(proxy.count(ProxyProtocol.SOCKS, Outcome.TUNNEL)).isEqualTo(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.taps.opened.size() == 4);
        // SOCKS4a and SOCKS5 with a name: the destination as the app asked for it, the name
        assertThat(proxy.taps.opened).extracting(t -> t.info.backendAddr()).containsExactlyInAnyOrder(
                "127.0.0.1:" + shop.port(), "localhost:" + shop.port(), "127.0.0.1:" + shop.port(),
                "localhost:" + shop.port());
        assertThat(proxy.taps.opened).allMatch(t -> t.info.outbound());
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.taps.opened.stream()
                .allMatch(t -> t.sent().startsWith("GET /socks HTTP/1.1\r\n")));
    }

    @Test
    void anUnreachableDestinationGetsTheSocksFailureCode() throws Exception {
        int dead = HttpForwardProxyTest.deadPort();
        var r5 = run(curl("--socks5", "127.0.0.1:" + proxy.port(), "http://127.0.0.1:" + dead + "/").toArray(String[]::new));
        assertThat(r5.exit()).isEqualTo(97); // curl: "proxy handshake error"
        assertThat(r5.err()).contains("SOCKS5 connection to 127.0.0.1. (4)"); // 4: host unreachable
        var r4 = run(curl("--socks4", "127.0.0.1:" + proxy.port(), "http://127.0.0.1:" + dead + "/").toArray(String[]::new));
        assertThat(r4.exit()).isEqualTo(97);
        assertThat(r4.err()).contains("rejected");
        assertThat(proxy.count(ProxyProtocol.SOCKS, Outcome.UNREACHABLE)).isEqualTo(2);
    }

    @Test
    void aTunnelToTheProxyItselfIsRefusedWithRulesetCode() throws Exception {
        try (Socket s = proxy.connect()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(new byte[] {5, 1, 0});
            assertThat(in.readNBytes(2)).containsExactly(5, 0);
            out.write(socks5Connect(new byte[] {127, 0, 0, 1}, proxy.port(), 1));
            byte[] reply = in.readAllBytes();
            assertThat(reply[0]).isEqualTo((byte) 5);
            assertThat(reply[1]).isEqualTo((byte) 2); // connection not allowed by ruleset
        }
        assertThat(proxy.count(ProxyProtocol.SOCKS, Outcome.LOOP_REFUSED)).isEqualTo(1);
    }

    @Test
    void badHandshakesGetTheRefusalAndAClose() throws Exception {
        // SOCKS5 BIND: command not supported (7)
        try (Socket s = proxy.connect()) {
            s.getOutputStream().write(new byte[] {5, 1, 0});
            assertThat(s.getInputStream().readNBytes(2)).containsExactly(5, 0);
            s.getOutputStream().write(socks5Connect(new byte[] {127, 0, 0, 1}, shop.port(), 2));
            byte[] reply = s.getInputStream().readAllBytes();
            assertThat(reply[1]).isEqualTo((byte) 7);
        }
        // SOCKS5 with only username/password offered: no acceptable method
        try (Socket s = proxy.connect()) {
            s.getOutputStream().write(new byte[] {5, 1, 2});
            assertThat(s.getInputStream().readAllBytes()).containsExactly(5, 0xFF);
        }
        // SOCKS4 with a user id that never ends: refused once past the bound
        try (Socket s = proxy.connect()) {
            byte[] head = {4, 1, 0, 80, 127, 0, 0, 1};
            s.getOutputStream().write(head);
            try {
                s.getOutputStream().write("u".repeat(1000).getBytes(StandardCharsets.US_ASCII));
            } catch (java.net.SocketException closedEarly) {
                // refused before all of it was sent
            }
            byte[] reply = s.getInputStream().readAllBytes();
            assertThat(reply).startsWith(0, 0x5B);
        } catch (java.net.SocketException reset) {
            // the refusal may come with a reset as the rest of the bytes were unread
        }
        // not SOCKS at all
        try (Socket s = proxy.connect()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        // SOCKS5 address type 9
        try (Socket s = proxy.connect()) {
            s.getOutputStream().write(new byte[] {5, 1, 0, 5, 1, 0, 9, 0, 0, 0, 0, 0, 80});
            byte[] reply = s.getInputStream().readAllBytes();
            assertThat(reply).startsWith(5, 0, 5, 8);
        }
        assertThat(proxy.count(ProxyProtocol.SOCKS, Outcome.NOT_SUPPORTED)).isEqualTo(2);
        assertThat(proxy.count(ProxyProtocol.SOCKS, Outcome.BAD_REQUEST)).isEqualTo(3);
        assertThat(proxy.taps.opened).isEmpty();
    }

    private static byte[] socks5Connect(byte[] ip, int port, int command) {
        return new byte[] {5, (byte) command, 0, 1, ip[0], ip[1], ip[2], ip[3], (byte) (port >> 8), (byte) port};
    }
}
