package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tapline.deploy.FreePort;

/** Real faults against the real packaged apps: a killed forwarder, a missing app, a paused proxy, bad clients. */
class FaultsE2ETest {

    @Test
    void aForwarderKilledDuringTrafficLosesNoAckedCaptureAndTrafficGoesOn() throws Exception {
        try (ScriptedHttpBackend app = new ScriptedHttpBackend(0); Tapline t = new Tapline(app.port()).start();
                Load load = new Load(t.proxyPort, 4, "/small?kill=")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> t.captures().size() > 500);
            Set<String> storedBeforeKill = ids(t);
            t.forwarder.kill9();
            long completedAtKill = load.completed.get();
            Thread.sleep(2000);
            assertThat(load.completed.get()).as("traffic keeps flowing while the forwarder is gone").isGreaterThan(completedAtKill + 100);
            t.startForwarder(); // same DATA_DIR, same ports
            await().atMost(Duration.ofSeconds(30)).until(() -> t.goproxy.countLines(l -> l.contains("Successfully registered with forwarder")) >= 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> ids(t).size() > storedBeforeKill.size() + 100);
            // a set difference: AssertJ's containsAll compares element by element, which took minutes here with
            // ~200,000 captures stored (the faster the relay, the longer)
            Set<String> storedAfter = ids(t);
            assertThat(storedBeforeKill.stream().filter(id -> !storedAfter.contains(id)).toList())
                    .as("captures stored before the kill and missing after it").isEmpty();
            assertThat(load.errors.get()).isZero();
        }
    }

    private static Set<String> ids(Tapline t) throws Exception {
        return t.captures().stream().map(c -> c.get("id").asText()).collect(Collectors.toSet());
    }

    @Test
    void anUnreachableAppClosesTheClientLogsBothErrorsAndServingResumesWhenItIsBack() throws Exception {
        int appPort = FreePort.next();
        try (Tapline t = new Tapline(appPort).start()) {
            try (RawHttp c = new RawHttp(t.proxyPort)) {
                c.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(c.readToEnd()).isEmpty();
            }
            t.goproxy.awaitLine(l -> l.contains("\"dial() ERR could not connect\"") && l.contains("\"addr\":\"127.0.0.1:" + appPort + "\"")
                    && l.contains("connection refused"), Duration.ofSeconds(5));
            t.goproxy.awaitLine(l -> l.contains("|Could not connect, giving up") && l.contains("...127.0.0.1:" + appPort + "|"),
                    Duration.ofSeconds(5));
            try (ScriptedHttpBackend app = new ScriptedHttpBackend(appPort); RawHttp c = new RawHttp(t.proxyPort)) {
                c.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(new String(c.readResponse(false), StandardCharsets.US_ASCII)).endsWith(ScriptedHttpBackend.SMALL);
            }
            // SIGTERM: both drain, stop and exit 0, as orchestrators expect
            assertThat(t.goproxy.terminate(Duration.ofSeconds(40))).isZero();
            assertThat(t.goproxy.hasLine(l -> l.contains("Shutting down: draining connections"))).isTrue();
            assertThat(t.forwarder.terminate(Duration.ofSeconds(40))).isZero();
        }
    }

    @Test
    void aPausedProxyIsReapedAndRegistersAgainWhenResumed() throws Exception {
        try (ScriptedHttpBackend app = new ScriptedHttpBackend(0); Tapline t = new Tapline(app.port()).start()) {
            t.goproxy.signal("STOP");
            try {
                // REAP_AFTER is 3s in these tests
                t.forwarder.awaitLine(l -> l.contains("REAPED proxy ID e2e-pod") || (l.contains("reaped") && l.contains("e2e-pod")),
                        Duration.ofSeconds(15));
            } finally {
                t.goproxy.signal("CONT");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> t.forwarder.countLines(l -> l.contains("REGISTER proxy ID e2e-pod")) >= 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> t.goproxy.countLines(l -> l.contains("Successfully registered with forwarder")) >= 2);
        }
    }

    @Test
    void badClientsDoNotHurtGoproxyOrOtherClients() throws Exception {
        try (ScriptedHttpBackend app = new ScriptedHttpBackend(0); Tapline t = new Tapline(app.port()).start();
                Load load = new Load(t.proxyPort, 2, "/small?bystander=")) {
            // garbage bytes
            try (RawHttp c = new RawHttp(t.proxyPort)) {
                byte[] garbage = new byte[64 * 1024];
                new java.util.Random(1).nextBytes(garbage);
                c.send(garbage);
            }
            // a 1 MB header line
            try (RawHttp c = new RawHttp(t.proxyPort)) {
                c.send("GET /small HTTP/1.1\r\nX-Huge: " + "h".repeat(1024 * 1024) + "\r\n\r\n");
            } catch (IOException e) {
                // the app may close on it: fine
            }
            // a slowloris client: one byte every 100 ms
            Thread slow = new Thread(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), t.proxyPort)) {
                    for (byte b : "GET /small HTTP/1.1\r\nX-Slow: yes".getBytes(StandardCharsets.US_ASCII)) {
                        s.getOutputStream().write(b);
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            slow.start();
            // 10,000 connections opened and dropped
            for (int i = 0; i < 10_000; i++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), t.proxyPort)) {
                    s.setSoLinger(true, 0);
                }
            }
            slow.join();
            assertThat(t.goproxy.isAlive()).isTrue();
            assertThat(t.goproxy.rssKib()).as("goproxy RSS in KiB").isLessThan(512 * 1024);
            // the flood's connections drain away (the thread-per-connection test app is the slow part here) ...
            await().atMost(Duration.ofSeconds(60)).until(() -> Tapline.metric(t.proxyMetrics(), "goproxy_connections_active") <= 3);
            // ... and the bystanders, who never lost a request, are served at full speed again
            long before = load.completed.get();
            Thread.sleep(1000);
            assertThat(load.completed.get()).as("bystanders still served").isGreaterThan(before + 100);
            assertThat(load.errors.get()).isZero();
        }
    }
}
