package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The read API answers searches whose captures together are far larger than the forwarder's heap: 40 exchanges
 * with 4 MiB bodies each way (320 MiB stored) listed and exported as HAR by a forwarder limited to 128 MiB. Both
 * answers carry every capture with its whole bodies, and the forwarder stays up and ready.
 */
class ReadApiMemoryE2ETest {
    private static final int EXCHANGES = 40;
    private static final int BODY = 4 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ScriptedHttpBackend app;
    private static Tapline tapline;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        app = new ScriptedHttpBackend(0);
        tapline = new Tapline(app.port());
        tapline.forwarderHeap = "-Xmx128m";
        tapline.goproxyEnv.put("CAPTURE_BODY_BYTES", "4M");
        tapline.start();
    }

    @AfterAll
    static void stop() throws Exception {
        tapline.close();
        app.close();
    }

    @Test
    void searchesLargerThanTheHeapAreAnsweredWholeOneCaptureAtATime() throws Exception {
        for (int i = 0; i < EXCHANGES; i++) {
            byte[] body = body(i);
            HttpResponse<byte[]> echoed = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + tapline.proxyPort + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(echoed.body()).as("exchange %d relayed whole", i).isEqualTo(body);
            // one at a time: 8 MiB captures faster than the forwarder stores them would overflow goproxy's queue
            long stored = i + 1;
            await().atMost(Duration.ofSeconds(30)).until(
                    () -> Tapline.metric(tapline.proxyMetrics(), "goproxy_captures_acked_total") == stored);
        }
        String api = "http://127.0.0.1:" + tapline.apiPort + "/api/v1/";
        assertThat(idsIn(api + "captures?app=" + Tapline.APP + "&limit=1000")).hasSize(EXCHANGES);

        List<Integer> listed = new ArrayList<>();
        try (JsonParser p = JSON.createParser(get(api + "captures?app=" + Tapline.APP + "&limit=1000"))) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                JsonNode capture = JSON.readTree(p);
                JsonNode http = capture.get("http");
                byte[] request = Base64.getDecoder().decode(http.get("req").get("bodyBase64").asText());
                int n = request[0];
                assertThat(request).as("request body of exchange %d", n).isEqualTo(body(n));
                assertThat(Base64.getDecoder().decode(http.get("res").get("bodyBase64").asText()))
                        .as("response body of exchange %d", n).isEqualTo(body(n));
                listed.add(n);
            }
        }
        assertThat(listed).as("every exchange, newest first").hasSize(EXCHANGES)
                .isSortedAccordingTo((a, b) -> b - a);

        int entries = 0;
        try (JsonParser p = JSON.createParser(get(api + "captures.har?app=" + Tapline.APP + "&limit=1000"))) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && p.currentName().equals("entries")) {
                    assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        JsonNode entry = JSON.readTree(p);
                        JsonNode content = entry.get("response").get("content");
                        String text = content.get("text").asText();
                        // HAR keeps UTF-8 bodies as text and the others in base64
                        byte[] bytes = content.path("encoding").asText().equals("base64") ? Base64.getDecoder().decode(text)
                                : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        assertThat(bytes).as("HAR response body of exchange %d", bytes[0]).isEqualTo(body(bytes[0]));
                        entries++;
                    }
                }
            }
        }
        assertThat(entries).isEqualTo(EXCHANGES);

        assertThat(tapline.forwarder.isAlive()).isTrue();
        assertThat(tapline.forwarder.hasLine(l -> l.contains("OutOfMemoryError"))).isFalse();
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tapline.apiPort + "/q/health/ready"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    }

    /** Exchange n's body: 4 MiB that differ per exchange (so a body cannot pass for another's), n in its first byte. */
    private static byte[] body(int n) {
        byte[] b = new byte[BODY];
        Arrays.fill(b, (byte) ('a' + n % 26));
        b[0] = (byte) n;
        b[BODY - 1] = (byte) (n * 7);
        return b;
    }

    private static InputStream get(String url) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + Tapline.API_TOKEN).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String body;
            try (InputStream in = r.body()) {
                body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            throw new AssertionError("GET " + url + " -> " + r.statusCode() + " " + body);
        }
        return r.body();
    }

    /** The capture ids a search lists (bodies skipped while parsing). */
    private static List<String> idsIn(String url) throws Exception {
        List<String> ids = new ArrayList<>();
        try (JsonParser p = JSON.createParser(get(url))) {
            p.nextToken();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (field.equals("id")) {
                        ids.add(p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        return ids;
    }
}
