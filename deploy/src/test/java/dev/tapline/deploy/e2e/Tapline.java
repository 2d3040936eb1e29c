package dev.tapline.deploy.e2e;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.deploy.FreePort;
import dev.tapline.deploy.RepoPaths;

/**
 * The product as users run it: the packaged forwarder and goproxy as two separate processes, on free ports,
 * in front of an app at {@code appPort}; the forwarder's read API to see what was captured.
 */
public final class Tapline implements AutoCloseable {
    static final Path ROOT = RepoPaths.root();
    static final Path FORWARDER_JAR = ROOT.resolve("forwarder/target/quarkus-app/quarkus-run.jar");
    static final Path GOPROXY_JAR = ROOT.resolve("goproxy/target/quarkus-app/quarkus-run.jar");
    public static final String APP = "e2e-app";
    /** The forwarder's API_TOKEN unless a test removes it from {@link #forwarderEnv} (then one is generated). */
    public static final String API_TOKEN = "e2e-api-token";

    final int grpcPort = FreePort.next();
    public final int apiPort = FreePort.next();
    public final int proxyPort = FreePort.next();
    final int proxyMetricsPort = FreePort.next();
    final Path dataDir;
    final int appPort;
    public final Map<String, String> forwarderEnv = new HashMap<>();
    final Map<String, String> goproxyEnv = new HashMap<>();
    /** The forwarder's heap bound. */
    String forwarderHeap = "-Xmx512m";
    AppProcess forwarder;
    AppProcess goproxy;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    public Tapline(int appPort) throws Exception {
        this.appPort = appPort;
        this.dataDir = Files.createTempDirectory("tapline-e2e");
        forwarderEnv.putAll(Map.of("SERVICE_PORT", "" + grpcPort, "HTTP_PORT", "" + apiPort, "CLUSTER_NAME", "e2e",
                "DATA_DIR", dataDir.toString(), "REAP_AFTER", "3s", "HEARTBEAT_INTERVAL", "1s", "API_TOKEN", API_TOKEN));
        goproxyEnv.putAll(Map.of("PROXY_TYPE", "reverse", "PROXY_IN_PORT", "" + proxyPort, "REVERSE_PROXY_HOST", "127.0.0.1",
                "REVERSE_PROXY_PORT", "" + appPort, "APP_LABEL", APP, "APP_POD_NAME", "e2e-pod",
                "FORWARDER_ADDR", "127.0.0.1:" + grpcPort, "METRICS_HTTP_PORT", "" + proxyMetricsPort,
                "CAPTURE_BATCH_DELAY", "50ms"));
    }

    public Tapline startForwarder() throws Exception {
        forwarder = AppProcess.start("forwarder", FORWARDER_JAR, forwarderEnv, forwarderHeap);
        forwarder.awaitLine(l -> l.contains("Starting gRPC listener"), Duration.ofSeconds(60));
        awaitHttp("http://127.0.0.1:" + apiPort + "/q/health/ready");
        return this;
    }

    Tapline startGoproxy(String... jvmArgs) throws Exception {
        goproxy = AppProcess.start("goproxy", GOPROXY_JAR, goproxyEnv, jvmArgs);
        goproxy.awaitLine(l -> l.contains("Starting proxy listener"), Duration.ofSeconds(60));
        awaitHttp("http://127.0.0.1:" + proxyMetricsPort + "/q/health/ready");
        return this;
    }

    public Tapline start() throws Exception {
        startForwarder();
        startGoproxy("-Xmx256m");
        goproxy.awaitLine(l -> l.contains("Successfully registered with forwarder"), Duration.ofSeconds(30));
        return this;
    }

    private void awaitHttp(String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " did not answer 200 within 60s");
    }

    /** The HTTP captures of the e2e app whose request URL ends with {@code url}, newest first. */
    public List<JsonNode> capturesEndingWith(String url) throws Exception {
        return captures().stream()
                .filter(c -> c.hasNonNull("http") && c.get("http").get("req").get("url").asText().endsWith(url)).toList();
    }

    /** Every capture of the e2e app the forwarder stored, newest first (pages through the API). */
    public List<JsonNode> captures() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String until = null;
        while (true) {
            String url = "http://127.0.0.1:" + apiPort + "/api/v1/captures?app=" + APP + "&limit=1000"
                    + (until == null ? "" : "&until=" + URLEncoder.encode(until, StandardCharsets.UTF_8));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + apiToken()).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + url + " -> " + response.statusCode() + " " + response.body());
            }
            JsonNode page = json.readTree(response.body());
            int before = all.size();
            for (JsonNode c : page) {
                if (seen.add(c.get("id").asText())) {
                    all.add(c);
                }
            }
            if (page.size() < 1000 || all.size() == before) {
                return all;
            }
            until = page.get(page.size() - 1).get("ts").asText();
        }
    }

    /** The token the read API takes: API_TOKEN as set, or the one the forwarder generated and logged. */
    public String apiToken() {
        String set = forwarderEnv.get("API_TOKEN");
        if (set != null) {
            return set;
        }
        return analyzerUrl().substring(analyzerUrl().indexOf("#token=") + "#token=".length());
    }

    /** The Analyzer URL the forwarder logged at start (when it generated its token). */
    public String analyzerUrl() {
        String line = forwarder.lines().stream().filter(l -> l.contains("/analyzer/#token=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Analyzer URL in the forwarder's log"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("http://localhost:\\d+/analyzer/#token=[A-Za-z0-9_-]+")
                .matcher(line);
        if (!m.find()) {
            throw new AssertionError("no URL in " + line);
        }
        return m.group();
    }

    String proxyMetrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyMetricsPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static double metric(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Override
    public void close() throws Exception {
        if (goproxy != null) {
            goproxy.close();
        }
        if (forwarder != null) {
            forwarder.close();
        }
        // the store of a test with large bodies or long load is hundreds of MB: do not leave it in /tmp
        try (java.util.stream.Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
