package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code CAPTURE_BODY_BYTES} set lower than the default, as the benchmark's 64 KiB scenario uses it: the packaged
 * goproxy keeps only the first bytes of each body in the capture, records the real size and the truncated flag,
 * and relays the whole body unchanged. Its upload batches of large bodies come from memory its Netty pool keeps.
 */
class BodyCapE2ETest {
    private static ScriptedHttpBackend app;
    private static Tapline tapline;

    @BeforeAll
    static void start() throws Exception {
        app = new ScriptedHttpBackend(0);
        tapline = new Tapline(app.port());
        tapline.goproxyEnv.put("CAPTURE_BODY_BYTES", "4K");
        tapline.start();
    }

    @AfterAll
    static void stop() throws Exception {
        tapline.close();
        app.close();
    }

    @Test
    void bodiesAboveTheCapKeepTheirFirstBytesRealSizeAndTruncatedFlag() throws Exception {
        byte[] body = ScriptedHttpBackend.bytes(10_000);
        String request = "POST /echo HTTP/1.1\r\nHost: shop\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 10000\r\n\r\n";
        try (RawHttp c = new RawHttp(tapline.proxyPort)) {
            c.send(request);
            c.send(body);
            assertThat(new String(c.readResponse(false), StandardCharsets.ISO_8859_1))
                    .as("the client gets the whole body").endsWith(new String(body, StandardCharsets.ISO_8859_1));
        }
        try (RawHttp c = new RawHttp(tapline.proxyPort)) {
            c.send("GET /small HTTP/1.1\r\nHost: shop\r\n\r\n");
            c.readResponse(false);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> capturesOf("/small").size() == 1 && capturesOf("/echo").size() == 1);
        JsonNode http = only(capturesOf("/echo")).get("http");
        for (String side : List.of("req", "res")) {
            JsonNode message = http.get(side);
            assertThat(message.get("bodySize").asLong()).as(side).isEqualTo(10_000);
            assertThat(message.get("truncated").asBoolean()).as(side).isTrue();
            assertThat(Base64.getDecoder().decode(message.get("bodyBase64").asText())).as(side)
                    .hasSize(4096).isEqualTo(java.util.Arrays.copyOf(body, 4096));
        }
        JsonNode small = only(capturesOf("/small")).get("http").get("res");
        assertThat(small.get("truncated").asBoolean()).as("a body under the cap is whole").isFalse();
        assertThat(Base64.getDecoder().decode(small.get("bodyBase64").asText()).length)
                .isEqualTo(small.get("bodySize").asInt()).isPositive();
    }

    /**
     * The packaged goproxy takes its upload batches (up to {@code CAPTURE_BATCH_BYTES}, at most 4M) from chunks its
     * Netty pool keeps. With Quarkus's default pool (64 KiB chunks) each batch was new direct memory, zeroed and
     * freed per batch: ~9 % of goproxy's CPU under 64 KiB bodies (docs/benchmarks/2026-12-04-maxorder-8.md).
     */
    @Test
    void theLargestUploadBatchFitsInOneChunkOfTheNettyPool() throws Exception {
        String chunkSize = tapline.proxyMetrics().lines()
                .filter(l -> l.startsWith("netty_allocator_pooled_chunk_size{") && l.contains("name=\"pooled\""))
                .findFirst().orElseThrow(() -> new AssertionError("goproxy exports no chunk size of Netty's default pool"));
        assertThat(Double.parseDouble(chunkSize.substring(chunkSize.lastIndexOf(' ') + 1)))
                .as(chunkSize).isGreaterThanOrEqualTo(4 << 20);
    }

    private static List<JsonNode> capturesOf(String url) throws Exception {
        return tapline.capturesEndingWith(url);
    }

    private static JsonNode only(List<JsonNode> captures) {
        assertThat(captures).hasSize(1);
        return captures.get(0);
    }
}
