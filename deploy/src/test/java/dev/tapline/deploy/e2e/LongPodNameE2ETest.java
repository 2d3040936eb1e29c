package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A pod name of the longest length the forwarder registers (128 characters): its captures are stored too. Capture
 * ids start with the proxy id, and the forwarder refuses ids over 128 characters, so with a long pod name it once
 * refused every capture while the proxy itself stayed registered.
 */
class LongPodNameE2ETest {

    @Test
    void capturesOfAProxyWithA128CharacterPodNameAreStoredUnderItsFullName() throws Exception {
        String podName = "pod-" + "x".repeat(124);
        try (ScriptedHttpBackend app = new ScriptedHttpBackend(0); Tapline tapline = new Tapline(app.port())) {
            tapline.goproxyEnv.put("APP_POD_NAME", podName);
            tapline.start();
            try (RawHttp c = new RawHttp(tapline.proxyPort)) {
                c.send("GET /small HTTP/1.1\r\nHost: shop\r\n\r\n");
                c.readResponse(false);
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> tapline.capturesEndingWith("/small").size() == 1);
            List<JsonNode> captures = tapline.capturesEndingWith("/small");
            JsonNode capture = captures.get(0);
            assertThat(capture.get("proxyId").asText()).isEqualTo(podName);
            assertThat(capture.get("id").asText()).hasSizeLessThanOrEqualTo(128).startsWith(podName.substring(0, 91));
        }
    }
}
