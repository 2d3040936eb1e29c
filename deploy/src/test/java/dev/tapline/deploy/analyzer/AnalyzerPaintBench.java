package dev.tapline.deploy.analyzer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.tapline.deploy.e2e.Tapline;

/**
 * How soon the Analyzer paints on a big store, in real Chromium against the packaged forwarder: the forwarder opens
 * the store in {@code -Dtapline.bench.store-dir} (made by TrafficStatsBench: 1,000,000 captures over 24 hours), and
 * the page is loaded {@value #ROUNDS} times after two unmeasured loads. Per load, from navigation start: the first
 * contentful paint, the first 100 rows in the table (the page's own {@code analyzer-first-rows} mark), and the
 * time the newest-100 API call takes from this JVM. Run by deploy/bench/analyzer.sh.
 */
@Tag("bench")
class AnalyzerPaintBench {
    private static final int ROUNDS = 9;
    private static final By ROWS = By.cssSelector("#traffic tbody tr");

    @Test
    void firstPaintAndFirstRowsWithAMillionCapturesStored() throws Exception {
        HeadlessChromium.assumeInstalled();
        Path store = Path.of(System.getProperty("tapline.bench.store-dir", "none"));
        assertThat(Files.isDirectory(store)).as("-Dtapline.bench.store-dir: a filled store directory").isTrue();
        try (Tapline tapline = new Tapline(1)) {
            tapline.forwarderEnv.put("DATA_DIR", store.toString());
            tapline.forwarderEnv.put("RETENTION_BYTES", "100G"); // keep all of the store while measuring
            tapline.startForwarder();
            String page = "http://localhost:" + tapline.apiPort + "/analyzer/";
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest newest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + tapline.apiPort
                    + "/api/v1/captures?limit=100")).header("Authorization", "Bearer " + tapline.apiToken()).build();
            double[] paint = new double[ROUNDS];
            double[] rows = new double[ROUNDS];
            double[] api = new double[ROUNDS];
            try (HeadlessChromium browser = new HeadlessChromium()) {
                browser.driver.get(page + "#token=" + tapline.apiToken());
                for (int i = -2; i < ROUNDS; i++) {
                    browser.driver.get(page + "?load=" + i);
                    new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                            .until(d -> d.findElements(ROWS).size() == 100
                                    && (Boolean) browser.driver.executeScript(
                                            "return performance.getEntriesByName('analyzer-first-rows').length > 0"));
                    long t = System.nanoTime();
                    HttpResponse<String> answer = http.send(newest, HttpResponse.BodyHandlers.ofString());
                    double apiMs = (System.nanoTime() - t) / 1e6;
                    assertThat(answer.statusCode()).isEqualTo(200);
                    if (i < 0) {
                        continue;
                    }
                    paint[i] = ((Number) browser.driver.executeScript("const p = performance.getEntriesByName("
                            + "'first-contentful-paint')[0]; return p ? p.startTime : -1")).doubleValue();
                    rows[i] = ((Number) browser.driver.executeScript(
                            "return performance.getEntriesByName('analyzer-first-rows')[0].startTime")).doubleValue();
                    api[i] = apiMs;
                }
                browser.screenshot("bench-traffic-1m");
            }
            System.out.printf("AnalyzerPaintBench: %s: first contentful paint %s; first 100 rows %s; newest-100 API"
                    + " call %s (median / worst of %d loads, ms)%n", store, stats(paint), stats(rows), stats(api), ROUNDS);
        }
    }

    private static String stats(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format("%.0f / %.0f", sorted[sorted.length / 2], sorted[sorted.length - 1]);
    }
}
