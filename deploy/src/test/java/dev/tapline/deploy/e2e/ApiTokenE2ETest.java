package dev.tapline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.tapline.deploy.RepoPaths;

/**
 * Secure by default, as a user starts the packaged forwarder: without API_TOKEN the API answers 401 and the URL
 * logged at start opens it; API_TOKEN=none opens it and says so in a WARN line. The token is logged once.
 */
class ApiTokenE2ETest {
    private final HttpClient http = HttpClient.newHttpClient();

    private int get(Tapline t, String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.apiPort + path));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String body(Tapline t, String path, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.apiPort + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    private HttpResponse<String> send(Tapline t, String path, String token, String accept) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + t.apiPort + path))
                .header("Authorization", "Bearer " + token).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " Accept: " + accept).isEqualTo(200);
        return r;
    }

    @Test
    void withoutApiTokenTheLoggedUrlCarriesTheOnlyTokenThatReads() throws Exception {
        try (Tapline t = new Tapline(1)) {
            t.forwarderEnv.remove("API_TOKEN");
            t.startForwarder();
            assertThat(get(t, "/api/v1/captures", null)).isEqualTo(401);
            assertThat(get(t, "/q/openapi", null)).isEqualTo(401);
            assertThat(get(t, "/q/health/ready", null)).isEqualTo(200);
            assertThat(get(t, "/q/metrics", null)).isEqualTo(200);
            String url = t.analyzerUrl();
            assertThat(url).startsWith("http://localhost:" + t.apiPort + "/analyzer/#token=");
            String token = t.apiToken();
            assertThat(get(t, "/api/v1/captures", token)).isEqualTo(200);
            assertThat(get(t, "/api/v1/timeline", token)).isEqualTo(200);
            // the packaged forwarder serves the OpenAPI document from the files OpenApiTest keeps current
            Path doc = RepoPaths.root().resolve("forwarder/src/main/resources/dev/tapline/forwarder/api");
            String yaml = Files.readString(doc.resolve("openapi.yaml"));
            String json = Files.readString(doc.resolve("openapi.json"));
            assertThat(body(t, "/q/openapi", token)).isEqualTo(yaml);
            assertThat(body(t, "/q/openapi.yaml", token)).isEqualTo(yaml);
            assertThat(body(t, "/q/openapi?format=json", token)).isEqualTo(json);
            assertThat(body(t, "/q/openapi.json", token)).isEqualTo(json);
            assertThat(get(t, "/q/openapi.json", null)).isEqualTo(401);
            // content negotiation as with Quarkus's extension: Accept JSON gives JSON, a format parameter wins
            HttpResponse<String> byAccept = send(t, "/q/openapi", token, "application/json");
            assertThat(byAccept.body()).isEqualTo(json);
            assertThat(byAccept.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("application/json"));
            assertThat(send(t, "/q/openapi", token, "application/json, */*;q=0.5").body()).isEqualTo(json);
            HttpResponse<String> yamlAccept = send(t, "/q/openapi", token, "application/yaml");
            assertThat(yamlAccept.body()).isEqualTo(yaml);
            assertThat(yamlAccept.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("application/yaml"));
            assertThat(send(t, "/q/openapi?format=yaml", token, "application/json").body()).isEqualTo(yaml);
            assertThat(t.forwarder.lines().stream().filter(l -> l.contains(token))).as("logged once").hasSize(1);
            assertThat(t.forwarder.lines().stream().filter(l -> l.contains(token)).findFirst().orElseThrow())
                    .satisfies(l -> assertThat(l.toLowerCase()).contains("\"level\":\"info"));
        }
    }

    @Test
    void apiTokenNoneOpensTheApiWithAWarning() throws Exception {
        try (Tapline t = new Tapline(1)) {
            t.forwarderEnv.put("API_TOKEN", "none");
            t.startForwarder();
            assertThat(get(t, "/api/v1/captures", null)).isEqualTo(200);
            assertThat(t.forwarder.lines()).anyMatch(l -> l.toLowerCase().contains("\"level\":\"warn")
                    && l.contains("API_TOKEN=none: the read API and the Analyzer are open to anyone"));
            assertThat(t.forwarder.lines()).noneMatch(l -> l.contains("#token="));
        }
    }
}
