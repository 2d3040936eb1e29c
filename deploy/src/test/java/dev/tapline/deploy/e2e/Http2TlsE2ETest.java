package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tapline.deploy.FreePort;

/**
 * h2 inside TLS with the packaged apps: goproxy with {@code TLS_IN_UNWRAP=true} in front of a real HTTP/2 app over
 * TLS (nghttpd, Debian's nghttp2-server), real curl {@code --http2} trusting the test CA. The client and the app
 * choose h2 by ALPN through goproxy; every stream reaches the real forwarder and reads back from its API as an
 * {@code http2} capture with its method, path, status and bodies, and the TLS facts.
 */
class Http2TlsE2ETest {
    private static final String PAGE = "hello over h2 and TLS\n";
    @TempDir
    static Path dir;
    private static Process app;
    private static Tapline tapline;

    @BeforeAll
    static void start() throws Exception {
        // one test CA; its leaf (localhost, 127.0.0.1) is both the app's certificate and the one goproxy shows
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=e2e h2 CA");
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "app.key",
                "-out", "app.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        run("openssl", "x509", "-req", "-in", "app.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", "san.ext", "-out", "app.crt");
        Path docs = Files.createDirectories(dir.resolve("htdocs"));
        Files.writeString(docs.resolve("page.txt"), PAGE);

        int appPort = FreePort.next();
        app = new ProcessBuilder("nghttpd", "-a", "127.0.0.1", "-d", docs.toString(), "--echo-upload",
                Integer.toString(appPort), dir.resolve("app.key").toString(), dir.resolve("app.crt").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nghttpd.log").toFile()).start();
        awaitListening(appPort);

        tapline = new Tapline(appPort);
        tapline.goproxyEnv.put("TLS_IN_UNWRAP", "true");
        tapline.goproxyEnv.put("TLS_IN_PUBLIC_KEY", dir.resolve("app.crt").toString());
        tapline.goproxyEnv.put("TLS_IN_PRIVATE_KEY", dir.resolve("app.key").toString());
        tapline.goproxyEnv.put("REVERSE_PROXY_TLS", "true");
        tapline.goproxyEnv.put("REVERSE_PROXY_CA", dir.resolve("ca.crt").toString()); // the app's chain is verified
        tapline.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tapline != null) {
            tapline.close();
        }
        if (app != null) {
            app.destroy();
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void curlsH2StreamsThroughUnwrappedTlsAreHttp2CapturesInTheForwarder() throws Exception {
        String base = "https://localhost:" + tapline.proxyPort;
        String out = run("curl", "-sS", "--http2", "--cacert", "ca.crt", "-D", "-", base + "/page.txt",
                "--next", "--http2", "--cacert", "ca.crt", "--data-binary", "order=42&qty=3", "-H",
                "content-type: application/x-www-form-urlencoded", base + "/orders?src=e2e");
        assertThat(out).as("h2 chosen end to end, both answers relayed").contains("HTTP/2 200").contains(PAGE)
                .endsWith("order=42&qty=3");

        await().atMost(Duration.ofSeconds(20)).until(() -> tapline.capturesEndingWith("/page.txt").size() == 1
                && tapline.capturesEndingWith("/orders?src=e2e").size() == 1);
        JsonNode get = tapline.capturesEndingWith("/page.txt").get(0);
        assertThat(get.get("l7protocol").asText()).isEqualTo("http2");
        JsonNode req = get.get("http").get("req");
        assertThat(req.get("method").asText()).isEqualTo("GET");
        assertThat(req.get("url").asText()).isEqualTo("/page.txt");
        assertThat(req.get("version").asText()).isEqualTo("HTTP/2.0");
        assertThat(req.get("scheme").asText()).isEqualTo("https");
        assertThat(req.get("host").asText()).isEqualTo("localhost:" + tapline.proxyPort);
        JsonNode res = get.get("http").get("res");
        assertThat(res.get("statusCode").asInt()).isEqualTo(200);
        assertThat(res.get("version").asText()).isEqualTo("HTTP/2.0");
        assertThat(decoded(res)).isEqualTo(PAGE);
        assertThat(get.get("http").get("http2").get("streamId").asLong()).isOdd();
        assertThat(get.get("tls").get("alpn").asText()).isEqualTo("h2");
        assertThat(get.get("tls").get("unwrapped").asBoolean()).isTrue();

        JsonNode post = tapline.capturesEndingWith("/orders?src=e2e").get(0);
        assertThat(post.get("l7protocol").asText()).isEqualTo("http2");
        assertThat(post.get("http").get("req").get("method").asText()).isEqualTo("POST");
        assertThat(decoded(post.get("http").get("req"))).isEqualTo("order=42&qty=3");
        assertThat(post.get("http").get("res").get("statusCode").asInt()).isEqualTo(200);
        assertThat(decoded(post.get("http").get("res"))).isEqualTo("order=42&qty=3");
        assertThat(post.get("cid").asLong()).as("curl's two URLs share one connection").isEqualTo(get.get("cid").asLong());
    }

    private static String decoded(JsonNode message) {
        return new String(Base64.getDecoder().decode(message.get("bodyBase64").asText()), StandardCharsets.UTF_8);
    }

    private static void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException e) {
                if (!app.isAlive()) {
                    throw new AssertionError("nghttpd exited: " + Files.readString(dir.resolve("nghttpd.log")));
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nghttpd does not listen on " + port);
    }

    /** Runs a command in the test's directory; its output, asserting it exited 0. */
    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
