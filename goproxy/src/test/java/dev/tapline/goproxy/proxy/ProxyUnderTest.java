package dev.tapline.goproxy.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.tapline.goproxy.relay.RelayServer;
import dev.tapline.goproxy.relay.RelaySettings;
import dev.tapline.goproxy.relay.RelayStats;
import dev.tapline.goproxy.relay.TapFactory;
import dev.tapline.goproxy.tls.TlsTermination;
import io.vertx.core.Vertx;

/** A real forward proxy (RelayServer + ForwardAcceptor) on 127.0.0.1 and a free port, with recording taps. */
final class ProxyUnderTest implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final RecordingTaps taps = new RecordingTaps();
    final ProxyStats stats = new ProxyStats();
    final LoopGuard loops = new LoopGuard();
    final RelayServer server;

    ProxyUnderTest(ProxyProtocol protocol, Duration idleTimeout) throws Exception {
        this(protocol, idleTimeout, null, null);
    }

    /** With {@code tapFactory} instead of {@link #taps} (null: the recording taps) and TLS_OUT_UNWRAP (null: off). */
    ProxyUnderTest(ProxyProtocol protocol, Duration idleTimeout, TapFactory tapFactory, TlsTermination outUnwrap)
            throws Exception {
        server = new RelayServer(vertx, new RelaySettings("127.0.0.1", 0, null, 0, idleTimeout, Duration.ofSeconds(2), 2),
                new ForwardAcceptor(protocol, loops, stats), tapFactory == null ? taps : tapFactory, new RelayStats(),
                new AtomicLong(), null, outUnwrap);
        server.start(Duration.ofSeconds(10));
        loops.addOwnPort(server.port());
    }

    int port() {
        return server.port();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port());
        s.setSoTimeout(10_000);
        return s;
    }

    long count(ProxyProtocol protocol, ProxyStats.Outcome outcome) {
        return stats.counter(protocol, outcome).sum();
    }

    /** A CONNECT tunnel to {@code host:port} through the proxy, its "200 Connection established" read. */
    Socket tunnel(String host, int port) throws IOException {
        Socket raw = connect();
        raw.getOutputStream().write(("CONNECT " + host + ":" + port + " HTTP/1.1\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] established = "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] got = raw.getInputStream().readNBytes(established.length);
        if (!java.util.Arrays.equals(got, established)) {
            raw.close();
            throw new IOException("CONNECT refused: " + new String(got, StandardCharsets.ISO_8859_1));
        }
        return raw;
    }

    /** Runs a real client; returns its exit code and standard output (standard error appended after a NUL). */
    static Result run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    record Result(int exit, String out, String err) {
    }

    static List<String> curl(String... args) {
        List<String> c = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        c.addAll(List.of(args));
        return c;
    }

    @Override
    public void close() throws Exception {
        server.drain(Duration.ZERO);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
