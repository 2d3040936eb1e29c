package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import dev.tapline.deploy.FreePort;

/**
 * PROXY_TYPE=dual with the packaged apps: a client calls the app through goproxy's reverse side, and the app's
 * handler calls a dependency through goproxy's forward side (its HTTP proxy). The forwarder stores one inbound and
 * one outbound capture of the one call.
 */
class DualModeE2ETest {

    @Test
    void anAppCallingADependencyGivesOneInboundAndOneOutboundCapture() throws Exception {
        int outPort = FreePort.next();
        HttpServer dependency = server();
        dependency.createContext("/stock", x -> answer(x, "in stock"));
        HttpClient viaGoproxy = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", outPort))).build();
        int depPort = dependency.getAddress().getPort();
        HttpServer app = server();
        app.createContext("/checkout", x -> {
            try {
                String stock = viaGoproxy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + depPort
                        + "/stock?sku=42")).build(), HttpResponse.BodyHandlers.ofString()).body();
                answer(x, "checkout: " + stock);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer(x, "interrupted");
            }
        });
        try (Tapline tapline = new Tapline(app.getAddress().getPort())) {
            tapline.goproxyEnv.put("PROXY_TYPE", "dual");
            tapline.goproxyEnv.put("PROXY_OUT_PORT", "" + outPort);
            tapline.start();
            assertThat(tapline.goproxy.lines()).anyMatch(l -> l.contains("Starting forward proxy listener")
                    && l.contains("127.0.0.1:" + outPort) && l.contains("\"protocol\":\"http\""));

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + tapline.proxyPort + "/checkout")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("checkout: in stock");

            await().atMost(Duration.ofSeconds(15)).until(() -> tapline.captures().size() >= 2);
            List<JsonNode> captures = tapline.captures();
            assertThat(captures).hasSize(2);
            JsonNode inbound = captures.stream().filter(c -> c.get("direction").asText().equals("inbound")).findFirst()
                    .orElseThrow();
            JsonNode outbound = captures.stream().filter(c -> c.get("direction").asText().equals("outbound")).findFirst()
                    .orElseThrow();
            assertThat(inbound.get("http").get("req").get("url").asText()).isEqualTo("/checkout");
            assertThat(inbound.get("http").get("res").get("statusCode").asInt()).isEqualTo(200);
            assertThat(outbound.get("http").get("req").get("url").asText())
                    .isEqualTo("http://127.0.0.1:" + depPort + "/stock?sku=42");
            assertThat(outbound.get("backendAddr").asText()).isEqualTo("127.0.0.1:" + depPort);
            assertThat(new String(java.util.Base64.getDecoder().decode(outbound.get("http").get("res").get("bodyBase64")
                    .asText()), StandardCharsets.UTF_8)).isEqualTo("in stock");
        } finally {
            app.stop(0);
            dependency.stop(0);
        }
    }

    /**
     * TLS_OUT_UNWRAP with the packaged goproxy: at its first start it creates its CA in TLS_CERT_DIR and logs it; the
     * app, trusting that CA, calls an HTTPS dependency (certificate from a test CA given as TLS_OUT_CA) through the
     * forward side, and the forwarder stores the decoded outbound exchange with its TLS facts.
     */
    @Test
    void anHttpsCallThroughTheForwardSideIsUnwrappedWithTheCaGoproxyCreated() throws Exception {
        Path dir = Files.createTempDirectory("tapline-tls-out");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "dep-ca.key", "-out", "dep-ca.crt", "-subj", "/CN=dependency test CA", "-days", "2", "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "dep.key",
                "-out", "dep.csr", "-subj", "/CN=localhost");
        Files.writeString(dir.resolve("dep.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl(dir, "x509", "-req", "-in", "dep.csr", "-CA", "dep-ca.crt", "-CAkey", "dep-ca.key", "-CAcreateserial",
                "-out", "dep.crt", "-days", "2", "-extfile", "dep.ext");
        openssl(dir, "pkcs12", "-export", "-in", "dep.crt", "-inkey", "dep.key", "-out", "dep.p12", "-passout", "pass:e2e");
        HttpsServer dependency = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        dependency.setHttpsConfigurator(new HttpsConfigurator(sslContext(dir.resolve("dep.p12"), null)));
        dependency.setExecutor(Executors.newCachedThreadPool());
        dependency.createContext("/stock", x -> answer(x, "in stock over TLS"));
        dependency.start();
        int depPort = dependency.getAddress().getPort();
        int outPort = FreePort.next();
        Path caDir = dir.resolve("goproxy-ca");
        HttpServer app = server();
        app.createContext("/checkout", x -> {
            try {
                HttpClient viaGoproxy = HttpClient.newBuilder().sslContext(sslContext(null, caDir.resolve("tls.crt")))
                        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", outPort))).build();
                answer(x, "checkout: " + viaGoproxy.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                        + depPort + "/stock?sku=42")).build(), HttpResponse.BodyHandlers.ofString()).body());
            } catch (Exception e) {
                answer(x, "failed: " + e);
            }
        });
        try (Tapline tapline = new Tapline(app.getAddress().getPort())) {
            tapline.goproxyEnv.put("PROXY_TYPE", "dual");
            tapline.goproxyEnv.put("PROXY_OUT_PORT", "" + outPort);
            tapline.goproxyEnv.put("TLS_OUT_UNWRAP", "true");
            tapline.goproxyEnv.put("TLS_CERT_DIR", caDir.toString());
            tapline.goproxyEnv.put("TLS_OUT_CA", dir.resolve("dep-ca.crt").toString());
            tapline.start();
            assertThat(tapline.goproxy.lines()).anyMatch(l -> l.contains("\"info\":\"INFO\"")
                    && l.contains("Created a CA for TLS_OUT_UNWRAP") && l.contains("\"file\":\"" + caDir.resolve("tls.crt"))
                    && l.matches(".*\"sha256\":\"([0-9A-F]{2}:){31}[0-9A-F]{2}\".*"));

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + tapline.proxyPort + "/checkout")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("checkout: in stock over TLS");

            await().atMost(Duration.ofSeconds(15)).until(() -> tapline.captures().stream()
                    .anyMatch(c -> c.get("direction").asText().equals("outbound")));
            JsonNode outbound = tapline.captures().stream().filter(c -> c.get("direction").asText().equals("outbound"))
                    .findFirst().orElseThrow();
            assertThat(outbound.get("http").get("req").get("url").asText()).endsWith("/stock?sku=42");
            assertThat(outbound.get("backendAddr").asText()).isEqualTo("localhost:" + depPort);
            assertThat(outbound.get("tls").get("unwrapped").asBoolean()).isTrue();
            assertThat(outbound.get("tls").get("version").asText()).startsWith("TLSv1.");
            // the JDK's HttpsServer answers no ALPN, so neither does goproxy: the app falls back to HTTP/1.1
            assertThat(outbound.get("tls").get("alpn").isNull()).isTrue();
            assertThat(new String(java.util.Base64.getDecoder().decode(outbound.get("http").get("res").get("bodyBase64")
                    .asText()), StandardCharsets.UTF_8)).isEqualTo("in stock over TLS");
        } finally {
            app.stop(0);
            dependency.stop(0);
        }
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    /** A context with the key of {@code p12} (or none) trusting {@code caPem} (or the JDK's default anchors). */
    private static SSLContext sslContext(Path p12, Path caPem) throws Exception {
        KeyManagerFactory kmf = null;
        if (p12 != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(p12)) {
                keys.load(in, "e2e".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "e2e".toCharArray());
        }
        TrustManagerFactory tmf = null;
        if (caPem != null) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            try (var in = Files.newInputStream(caPem)) {
                trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ssl;
    }

    private static HttpServer server() throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        s.setExecutor(Executors.newCachedThreadPool());
        s.start();
        return s;
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, String body) throws java.io.IOException {
        byte[] out = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(200, out.length);
        x.getResponseBody().write(out);
        x.close();
    }
}
