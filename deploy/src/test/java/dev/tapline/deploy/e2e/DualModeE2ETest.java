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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

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
