package dev.tapline.deploy.analyzer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client on both sides of Tapline: requests to the app through goproxy, and the forwarder's read API (with
 * the API token when there is one) to know when they are stored.
 */
final class ThroughGoproxy {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final int proxyPort;
    private final int apiPort;
    private final String token;

    ThroughGoproxy(int proxyPort, int apiPort, String token) {
        this.proxyPort = proxyPort;
        this.apiPort = apiPort;
        this.token = token;
    }

    int get(String target) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + target)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A JSON POST with a trace header and an API key (which DLP redacts when on). */
    int postJson(String target, String body, String traceHeader) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + target))
                .header("Content-Type", "application/json").header("X-Trace", traceHeader).header("X-Api-Key", "k-123")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** The newest stored captures (at most 1000), as the API answers them. */
    JsonNode stored() throws Exception {
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                + "/api/v1/captures?limit=1000"));
        if (token != null) {
            get.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> res = http.send(get.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new AssertionError("captures: " + res.statusCode() + " " + res.body());
        }
        return json.readTree(res.body());
    }
}
