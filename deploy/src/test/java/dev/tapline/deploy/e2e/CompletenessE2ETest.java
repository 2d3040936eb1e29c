package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Completeness and fidelity with the real packaged apps: every exchange a client completed is stored exactly
 * once with the right method, URL, status, headers and body, and the client's bytes through goproxy equal the
 * bytes it gets from the app directly.
 */
class CompletenessE2ETest {
    private static ScriptedHttpBackend app;
    private static Tapline tapline;

    @BeforeAll
    static void start() throws Exception {
        app = new ScriptedHttpBackend(0);
        tapline = new Tapline(app.port()).start();
    }

    @AfterAll
    static void stop() throws Exception {
        tapline.close();
        app.close();
    }

    /** The same request bytes, sent directly and through goproxy: the answers must be identical. */
    private static byte[] sameBytesBothWays(String request, int responses, boolean head) throws Exception {
        byte[] direct = exchange(app.port(), request, responses, head);
        byte[] proxied = exchange(tapline.proxyPort, request, responses, head);
        assertThat(new String(proxied, StandardCharsets.ISO_8859_1)).isEqualTo(new String(direct, StandardCharsets.ISO_8859_1));
        return proxied;
    }

    private static byte[] exchange(int port, String request, int responses, boolean head) throws Exception {
        try (RawHttp c = new RawHttp(port)) {
            c.send(request);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < responses; i++) {
                all.write(c.readResponse(head));
            }
            return all.toByteArray();
        }
    }

    private static List<JsonNode> capturesOf(String url) throws Exception {
        return tapline.capturesEndingWith(url);
    }

    private static JsonNode onlyCaptureOf(String url, int expectedCount) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> capturesOf(url).size() >= expectedCount);
        List<JsonNode> found = capturesOf(url);
        assertThat(found).hasSize(expectedCount);
        return found.get(0);
    }

    private static String header(JsonNode message, String name) {
        JsonNode headers = message.get("headers");
        for (var it = headers.fields(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().get(0).asText();
            }
        }
        return null;
    }

    @Test
    void keepAliveExchangesAreEachStoredOnceWithTheirHeaders() throws Exception {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            requests.append("GET /small?keepalive=").append(i).append(" HTTP/1.1\r\nHost: shop\r\nX-Seq: ").append(i).append("\r\n\r\n");
        }
        sameBytesBothWays(requests.toString(), 20, false);
        await().atMost(Duration.ofSeconds(20)).until(() -> tapline.captures().stream()
                .filter(c -> c.hasNonNull("http") && c.get("http").get("req").get("url").asText().contains("keepalive=")).count() == 20);
        Map<String, JsonNode> byUrl = tapline.captures().stream()
                .filter(c -> c.hasNonNull("http") && c.get("http").get("req").get("url").asText().contains("keepalive="))
                .collect(Collectors.toMap(c -> c.get("http").get("req").get("url").asText(), Function.identity()));
        for (int i = 0; i < 20; i++) {
            String suffix = "/small?keepalive=" + i;
            JsonNode c = byUrl.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).findFirst()
                    .orElseThrow().getValue();
            assertThat(c.get("http").get("req").get("method").asText()).isEqualTo("GET");
            assertThat(header(c.get("http").get("req"), "X-Seq")).isEqualTo("" + i);
            assertThat(c.get("http").get("res").get("statusCode").asInt()).isEqualTo(200);
            assertThat(new String(Base64.getDecoder().decode(c.get("http").get("res").get("bodyBase64").asText()),
                    StandardCharsets.US_ASCII)).isEqualTo(ScriptedHttpBackend.SMALL);
            assertThat(c.get("appLabel").asText()).isEqualTo(Tapline.APP);
        }
        // the 20 exchanges of one connection (pipelined, since all were written at once) keep their order
        assertThat(byUrl.values().stream().map(c -> c.get("cid").asLong()).distinct()).hasSize(1);
    }

    @Test
    void chunkedBodiesAreStoredDecodedWithTheirRealSize() throws Exception {
        sameBytesBothWays("GET /chunked HTTP/1.1\r\nHost: shop\r\n\r\n", 1, false);
        JsonNode res = onlyCaptureOf("/chunked", 1).get("http").get("res");
        assertThat(new String(Base64.getDecoder().decode(res.get("bodyBase64").asText()), StandardCharsets.US_ASCII))
                .isEqualTo("hello, world!");
        assertThat(res.get("bodySize").asLong()).isEqualTo(13);
    }

    @Test
    void largeBodiesKeepTheirRealSizeAndATruncatedFlag() throws Exception {
        sameBytesBothWays("GET /bytes/65536 HTTP/1.1\r\nHost: shop\r\n\r\n", 1, false);
        sameBytesBothWays("GET /bytes/10485760 HTTP/1.1\r\nHost: shop\r\n\r\n", 1, false);
        JsonNode small = onlyCaptureOf("/bytes/65536", 1).get("http").get("res");
        assertThat(small.get("bodySize").asLong()).isEqualTo(65536);
        assertThat(small.get("truncated").asBoolean()).isFalse();
        assertThat(Base64.getDecoder().decode(small.get("bodyBase64").asText())).isEqualTo(ScriptedHttpBackend.bytes(65536));
        JsonNode big = onlyCaptureOf("/bytes/10485760", 1).get("http").get("res");
        assertThat(big.get("bodySize").asLong()).isEqualTo(10_485_760);
        assertThat(big.get("truncated").asBoolean()).isTrue();
        byte[] kept = Base64.getDecoder().decode(big.get("bodyBase64").asText());
        assertThat(kept).hasSize(65536).isEqualTo(ScriptedHttpBackend.bytes(65536));
    }

    @Test
    void headNoContentAndNotModifiedHaveNoBodies() throws Exception {
        sameBytesBothWays("HEAD /bytes/1000 HTTP/1.1\r\nHost: shop\r\n\r\n", 1, true);
        // then, on one keep-alive connection, answers that end without a body, and one after them
        sameBytesBothWays("GET /nocontent HTTP/1.1\r\nHost: shop\r\n\r\nGET /notmodified HTTP/1.1\r\nHost: shop\r\n\r\n"
                + "GET /small?after=2 HTTP/1.1\r\nHost: shop\r\n\r\n", 3, false);
        JsonNode head = onlyCaptureOf("/bytes/1000", 1).get("http");
        assertThat(head.get("req").get("method").asText()).isEqualTo("HEAD");
        assertThat(head.get("res").get("bodySize").asLong()).isZero();
        assertThat(header(head.get("res"), "Content-Length")).isEqualTo("1000");
        await().atMost(Duration.ofSeconds(20)).until(() -> capturesOf("/nocontent").size() == 1 && capturesOf("/notmodified").size() == 1
                && capturesOf("/small?after=2").size() == 1);
        assertThat(capturesOf("/nocontent").get(0).get("http").get("res").get("statusCode").asInt()).isEqualTo(204);
        assertThat(capturesOf("/notmodified").get(0).get("http").get("res").get("statusCode").asInt()).isEqualTo(304);
        assertThat(capturesOf("/small?after=2").get(0).get("http").get("res").get("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void expectContinueBodiesAreCapturedWhole() throws Exception {
        byte[] body = ScriptedHttpBackend.bytes(3000);
        for (int port : new int[] {app.port(), tapline.proxyPort}) {
            try (RawHttp c = new RawHttp(port)) {
                c.send("POST /echo HTTP/1.1\r\nHost: shop\r\nContent-Type: application/octet-stream\r\nExpect: 100-continue\r\n"
                        + "Content-Length: 3000\r\n\r\n");
                assertThat(new String(c.readResponse(false), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue");
                c.send(body);
                assertThat(new String(c.readResponse(false), StandardCharsets.ISO_8859_1)).endsWith(new String(body, StandardCharsets.ISO_8859_1));
            }
        }
        JsonNode http = onlyCaptureOf("/echo", 1).get("http");
        assertThat(http.get("req").get("bodySize").asLong()).isEqualTo(3000);
        assertThat(Base64.getDecoder().decode(http.get("req").get("bodyBase64").asText())).isEqualTo(body);
        assertThat(http.get("res").get("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void aWebSocketUpgradeRecordsTheHandshakeAndRelaysTheRest() throws Exception {
        try (RawHttp c = new RawHttp(tapline.proxyPort)) {
            c.send("GET /ws HTTP/1.1\r\nHost: shop\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(new String(c.readResponse(true), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
            byte[] frame = {(byte) 0x81, 0x04, 'p', 'i', 'n', 'g'};
            c.send(frame);
            assertThat(c.readN(frame.length)).isEqualTo(frame);
        }
        JsonNode ws = onlyCaptureOf("/ws", 1);
        assertThat(ws.get("http").get("res").get("statusCode").asInt()).isEqualTo(101);
        assertThat(ws.get("flags").toString()).contains("upgraded");
    }

    @Test
    void aNonHttpConnectionBecomesAConnectionRecord() throws Exception {
        try (RawHttp c = new RawHttp(tapline.proxyPort)) {
            c.send(new byte[] {0x00, 0x01, 'P', 'I', 'N', 'G', 0x02, 0x03, 0x04, '\n'});
            c.socket.shutdownOutput();
            c.readToEnd();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> tapline.captures().stream()
                .anyMatch(x -> x.hasNonNull("connection") && x.get("connection").get("bytesClientToApp").asLong() == 10));
        JsonNode c = tapline.captures().stream()
                .filter(x -> x.hasNonNull("connection") && x.get("connection").get("bytesClientToApp").asLong() == 10).findFirst().orElseThrow();
        assertThat(c.get("l7protocol").asText()).containsIgnoringCase("tcp");
    }

    @Test
    void curlThroughGoproxyGetsWhatItGetsDirectly() throws Exception {
        Process direct = new ProcessBuilder("curl", "-s", "-i", "http://127.0.0.1:" + app.port() + "/bytes/5000").start();
        Process proxied = new ProcessBuilder("curl", "-s", "-i", "http://127.0.0.1:" + tapline.proxyPort + "/bytes/5000?curl=1").start();
        byte[] a = direct.getInputStream().readAllBytes();
        byte[] b = proxied.getInputStream().readAllBytes();
        assertThat(direct.waitFor()).isZero();
        assertThat(proxied.waitFor()).isZero();
        assertThat(b).isEqualTo(a);
        assertThat(onlyCaptureOf("/bytes/5000?curl=1", 1).get("http").get("req").get("method").asText()).isEqualTo("GET");
    }
}
