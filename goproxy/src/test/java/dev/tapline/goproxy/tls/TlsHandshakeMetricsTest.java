package dev.tapline.goproxy.tls;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tapline.goproxy.GoproxyLifecycle;
import dev.tapline.goproxy.support.FakeForwarder;
import dev.tapline.goproxy.support.TestCerts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * goproxy in full with TLS_IN_UNWRAP, in front of an app that completes its TLS handshake and then closes without a
 * word (what an app does that refuses goproxy after a TLS 1.3 handshake): the connection shows on the metrics
 * endpoint once, as {@code app_failed}, not also as {@code ok}.
 */
@QuarkusTest
@TestProfile(TlsHandshakeMetricsTest.Profile.class)
class TlsHandshakeMetricsTest {

    @Inject
    GoproxyLifecycle lifecycle;

    @Test
    void aConnectionTheAppRefusesAfterItsHandshakeIsCountedOnceAsAppFailed() throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "--max-time", "20", "--http1.1", "--cacert",
                ClosingApp.caFile.toString(), "--resolve", "shop.test:" + lifecycle.relay().port() + ":127.0.0.1",
                "https://shop.test:" + lifecycle.relay().port() + "/refused").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handshakes("app_failed")).isEqualTo(1));
        assertThat(ClosingApp.app.handshakes()).isEqualTo(1);
        assertThat(handshakes("ok")).as("the same connection is not also ok").isZero();
        assertThat(handshakes("client_failed") + handshakes("timeout")).isZero();
    }

    private static double handshakes(String outcome) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("goproxy_tls_handshakes_total{")
                && l.contains("outcome=\"" + outcome + "\"")).mapToDouble(l -> Double.parseDouble(l.substring(
                        l.lastIndexOf(' ') + 1))).sum();
    }

    public static class Profile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ClosingApp.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** Certificates in a temporary folder, the closing app and a forwarder; points goproxy at them with unwrap on. */
    public static class ClosingApp implements QuarkusTestResourceLifecycleManager {
        static volatile Path caFile;
        static volatile ClosingTlsApp app;
        private static volatile FakeForwarder forwarder;
        private Path dir;

        @Override
        public Map<String, String> start() {
            try {
                dir = Files.createTempDirectory("tls-metrics");
                TestCerts publicCa = TestCerts.ca(dir, "public");
                TestCerts.Leaf leaf = publicCa.leaf("shop.test");
                caFile = publicCa.caFile();
                app = new ClosingTlsApp(TestCerts.ca(dir, "app").leaf("shop.test"));
                forwarder = new FakeForwarder();
                return Map.of("goproxy.reverse-proxy-port", String.valueOf(app.port()),
                        "goproxy.forwarder-addr", "127.0.0.1:" + forwarder.port(),
                        "goproxy.tls.in-unwrap", "true",
                        "goproxy.tls.in-public-key", leaf.writeChain("shop").toString(),
                        "goproxy.tls.in-private-key", leaf.writePkcs8("shop").toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void stop() {
            try {
                app.close();
                forwarder.close();
            } catch (Exception e) {
                // ignore
            }
        }
    }
}
