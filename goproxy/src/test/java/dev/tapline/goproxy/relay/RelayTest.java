package dev.tapline.goproxy.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tapline.goproxy.support.LogRecords;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

class RelayTest {
    private final Vertx vertx = Vertx.vertx();
    private final RelayStats stats = new RelayStats();
    private RelayServer relay;
    private TcpBackend backend;

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.drain(Duration.ZERO);
        }
        if (backend != null) {
            backend.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    private void startRelay(int appPort) throws Exception {
        startRelay(appPort, Duration.ofMinutes(1));
    }

    private void startRelay(int appPort, Duration idleTimeout) throws Exception {
        relay = new RelayServer(vertx, new RelaySettings("127.0.0.1", 0, "127.0.0.1", appPort, idleTimeout,
                Duration.ofSeconds(2), 2), TapFactory.NONE, stats);
        relay.start(Duration.ofSeconds(10));
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), relay.port());
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    void smallMessageIsEchoedUnchanged() throws Exception {
        backend = new TcpBackend(TcpBackend::echo);
        startRelay(backend.port());
        try (Socket s = connect()) {
            s.getOutputStream().write("product-list\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(13), StandardCharsets.US_ASCII)).isEqualTo("product-list\n");
        }
    }

    @Test
    void sixtyFourKibAndTenMegabytesArriveUnchangedBothWays() throws Exception {
        backend = new TcpBackend(TcpBackend::echo);
        startRelay(backend.port());
        for (int size : new int[] {64 * 1024, 10 * 1024 * 1024}) {
            byte[] data = new byte[size];
            new Random(size).nextBytes(data);
            try (Socket s = connect()) {
                CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> readAll(s));
                OutputStream out = s.getOutputStream();
                out.write(data);
                s.shutdownOutput();
                assertThat(sha256(echoed.get())).isEqualTo(sha256(data));
            }
        }
        assertThat(stats.bytesClientToApp.sum()).isEqualTo(64 * 1024 + 10 * 1024 * 1024);
        assertThat(stats.bytesAppToClient.sum()).isEqualTo(64 * 1024 + 10 * 1024 * 1024);
    }

    /**
     * The socket to the app gets a fixed receive buffer instead of Linux's autotuned one, which can stay at one
     * 64 KiB loopback segment for a busy relay and starve that connection (Relay#APP_RECEIVE_BUFFER_BYTES). The
     * kernel caps it at net.core.rmem_max; an autotuned socket reports tcp_rmem's default (64 KiB as the JDK
     * shows it on Linux, half the kernel's figure), below both.
     */
    @Test
    void theSocketToTheAppHasAFixedReceiveBufferOfAMebibyte() throws Exception {
        backend = new TcpBackend(TcpBackend::echo);
        startRelay(backend.port());
        try (Socket s = connect()) {
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().readNBytes(4)).hasSize(4); // the relay is wired
            // a proc file reports a size of 0, which Files.readString takes at its word: read its lines instead
            long rmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
            long expected = Math.min(Relay.APP_RECEIVE_BUFFER_BYTES, rmemMax);
            List<Relay> open = relay.openRelays();
            assertThat(open).hasSize(1);
            assertThat((long) open.get(0).appReceiveBufferBytes()).isEqualTo(expected);
        }
    }

    @Test
    void aMessageSentInTwoPartsArrivesWhole() throws Exception {
        backend = new TcpBackend(TcpBackend::echo);
        startRelay(backend.port());
        try (Socket s = connect()) {
            s.getOutputStream().write("GET /prod".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Thread.sleep(50);
            s.getOutputStream().write("uct HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(25), StandardCharsets.US_ASCII))
                    .isEqualTo("GET /product HTTP/1.1\r\n\r\n");
        }
    }

    @Test
    void aSlowReaderPausesTheAppInsteadOfFillingMemory() throws Exception {
        long total = 256L * 1024 * 1024;
        backend = new TcpBackend((s, b) -> {
            byte[] chunk = new byte[64 * 1024];
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(chunk);
                b.bytesWritten.addAndGet(chunk.length);
            }
            s.shutdownOutput();
        });
        startRelay(backend.port());
        try (Socket s = connect()) {
            s.setReceiveBufferSize(64 * 1024);
            Thread.sleep(1500);
            // socket buffers on both sides of goproxy hold a few MB at most; goproxy itself must hold back the rest
            assertThat(backend.bytesWritten.get()).isLessThan(32L * 1024 * 1024);
            long read = 0;
            byte[] buf = new byte[256 * 1024];
            InputStream in = s.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                read += n;
            }
            assertThat(read).isEqualTo(total);
        }
    }

    @Test
    void aHalfCloseIsPassedOnAndTheAnswerStillArrives() throws Exception {
        backend = new TcpBackend((s, b) -> {
            byte[] all = s.getInputStream().readAllBytes(); // until the client's FIN arrives through goproxy
            s.getOutputStream().write(("got " + all.length + " bytes").getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
        });
        startRelay(backend.port());
        try (Socket s = connect()) {
            s.getOutputStream().write("four".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("got 4 bytes");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> relay.openConnections() == 0);
    }

    /**
     * The app ends its side first and keeps reading; the client sends more after that FIN, then ends too. The app
     * must get every byte and then a clean end of stream, not a reset: once both directions ended, goproxy closes
     * both sockets instead of shutting the app's output down first. On the epoll transport (production's) and NIO.
     */
    @ParameterizedTest(name = "native transport: {0}")
    @ValueSource(booleans = {true, false})
    void whenTheAppEndsFirstTheClientsLaterBytesAndItsEndStillReachTheApp(boolean nativeTransport) throws Exception {
        Vertx transportVertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(nativeTransport));
        CompletableFuture<String> appReceived = new CompletableFuture<>();
        backend = new TcpBackend((s, b) -> {
            s.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            try {
                appReceived.complete(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                appReceived.complete("failed: " + e);
            }
        });
        RelayServer server = new RelayServer(transportVertx, new RelaySettings("127.0.0.1", 0, "127.0.0.1",
                backend.port(), Duration.ofMinutes(1), Duration.ofSeconds(2), 2), TapFactory.NONE, new RelayStats());
        try {
            server.start(Duration.ofSeconds(10));
            assertThat(transportVertx.isNativeTransportEnabled()).isEqualTo(nativeTransport);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                s.setSoTimeout(20_000);
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("bye");
                s.getOutputStream().write("sent after your FIN".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertThat(appReceived.get(10, TimeUnit.SECONDS)).isEqualTo("sent after your FIN");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
        } finally {
            server.drain(Duration.ZERO);
            transportVertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void anUnreachableAppClosesTheClientAndLogsBothErrorLines() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        try (LogRecords log = new LogRecords(Relay.class)) {
            List<ExtLogRecord> records = log.records();
            startRelay(deadPort);
            try (Socket s = connect()) {
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> records.size() >= 2);
            assertThat(records.get(0).getMessage()).isEqualTo("dial() ERR could not connect");
            assertThat(records.get(0).getParameters()[0].toString())
                    .isEqualTo("addr=127.0.0.1:" + deadPort + " error=dial tcp 127.0.0.1:" + deadPort + ": connect: connection refused");
            assertThat(records.get(1).getFormattedMessage()).matches("DIRECT\\|127\\.0\\.0\\.1:\\d+\\.\\.\\.127\\.0\\.0\\.1:" + deadPort
                    + "\\|Could not connect, giving up");
            assertThat(stats.appConnectFailures.sum()).isEqualTo(1);
        }
    }

    @Test
    void aClientWhoseRequestWasNeverReadGetsACleanCloseNotAReset() throws Exception {
        int deadPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = probe.getLocalPort();
        }
        startRelay(deadPort);
        byte[] request = ("POST /orders HTTP/1.1\r\nHost: shop\r\nContent-Length: 20000\r\n\r\n" + "x".repeat(20_000))
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i < 5; i++) {
            try (Socket s = connect()) {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                // a reset would throw "Connection reset" here instead of an orderly end of stream
                assertThat(s.getInputStream().read()).isEqualTo(-1);
                s.getOutputStream().write(request); // still accepted (and dropped) while the relay lingers
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.connectionsActive.get() == 0);
        assertThat(stats.appConnectFailures.sum()).isEqualTo(5);
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        backend = new TcpBackend(TcpBackend::echo);
        // below a second on purpose: IDLE_TIMEOUT=700ms once became 0 whole seconds, i.e. never
        startRelay(backend.port(), Duration.ofMillis(700));
        try (Socket s = connect()) {
            s.getOutputStream().write('x');
            assertThat(s.getInputStream().read()).isEqualTo('x');
            long started = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1); // the socket's read timeout is 20 s
            Duration closedAfter = Duration.ofNanos(System.nanoTime() - started);
            assertThat(closedAfter).isGreaterThan(Duration.ofMillis(350)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void anIdleTimeoutOfZeroNeverClosesAnIdleConnection() throws Exception {
        // IDLE_TIMEOUT=0 means never: a timer armed with 0 would close every connection on its first check
        backend = new TcpBackend(TcpBackend::echo);
        startRelay(backend.port(), Duration.ZERO);
        try (Socket s = connect()) {
            s.getOutputStream().write('x');
            assertThat(s.getInputStream().read()).isEqualTo('x');
            sleep(1_500);
            s.getOutputStream().write('z');
            assertThat(s.getInputStream().read()).isEqualTo('z');
        }
        assertThat(stats.connectionsTotal.sum()).isEqualTo(1);
    }

    @Test
    void aConnectionWithTrafficOneWayOnlyIsNotIdle() throws Exception {
        // the app streams to the client, which never sends after its first byte: not idle, whatever the timeout
        backend = new TcpBackend((socket, b) -> {
            socket.getInputStream().read();
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 12; i++) {
                out.write('t');
                out.flush();
                sleep(200);
            }
            socket.shutdownOutput();
        });
        startRelay(backend.port(), Duration.ofMillis(700));
        try (Socket s = connect()) {
            s.getOutputStream().write('x');
            // 12 ticks over ~2.4 s, more than three timeouts, then the app's FIN
            assertThat(s.getInputStream().readAllBytes()).hasSize(12);
        }
    }

    @Test
    void anIdleConnectionIsClosedOnTheAppSideToo() throws Exception {
        CompletableFuture<Integer> appRead = new CompletableFuture<>();
        backend = new TcpBackend((socket, b) -> {
            InputStream in = socket.getInputStream();
            in.read();
            socket.getOutputStream().write('y');
            appRead.complete(in.read()); // -1 once goproxy closed the app connection
        });
        startRelay(backend.port(), Duration.ofMillis(500));
        try (Socket s = connect()) {
            s.getOutputStream().write('x');
            assertThat(s.getInputStream().read()).isEqualTo('y');
            assertThat(appRead.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stats.connectionsActive.get() == 0);
    }

    @Test
    void drainingLetsOpenConnectionsFinishAndTurnsNewOnesAway() throws Exception {
        backend = new TcpBackend(TcpBackend::echo);
        startRelay(backend.port());
        int port = relay.port();
        try (Socket open = connect()) {
            open.getOutputStream().write('a');
            assertThat(open.getInputStream().read()).isEqualTo('a');
            CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> {
                try {
                    relay.drain(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> !relay.listening());
            try (Socket late = new Socket(InetAddress.getLoopbackAddress(), port)) {
                late.setSoTimeout(5000);
                late.getOutputStream().write('b');
                assertThat(late.getInputStream().read()).isEqualTo(-1);
            } catch (IOException refused) {
                // also fine: nobody accepts any more
            }
            open.getOutputStream().write('c'); // the open connection still works while draining
            assertThat(open.getInputStream().read()).isEqualTo('c');
            assertThat(drained).isNotDone();
            open.close();
            drained.get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        relay = null;
    }

    private static byte[] readAll(Socket s) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            s.getInputStream().transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
