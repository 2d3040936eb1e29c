package dev.tapline.forwarder.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The Analyzer's static files: served at /analyzer/ with the right types, self-contained, reached from / too. */
@QuarkusTest
class AnalyzerStaticTest {
    private static final List<String> MODULES = List.of("app.js", "api.js", "dom.js", "traffic.js", "details.js",
            "body.js", "proxies.js", "endpoints.js", "timeline.js", "filters.js", "url.js", "curl.js");
    // the WebJar's version, as the pom pins it (a bump of one without the other fails here)
    private static final String UPLOT_VERSION = System.getProperty("tapline.uplot.version");
    private static final Pattern REFERENCE = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import .* from '([^']*)';");

    @Test
    void indexIsServedAsHtmlWithAPolicyThatKeepsThePageOnItsOrigin() {
        given().get("/analyzer/").then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("<script type=\"module\" src=\"app.js\"></script>"));
    }

    @Test
    void indexReferencesOnlyLocalAssets() {
        String html = given().get("/analyzer/index.html").then().statusCode(200).extract().asString();
        Matcher m = REFERENCE.matcher(html);
        int found = 0;
        while (m.find()) {
            found++;
            // local means relative to /analyzer/: no scheme, no //host, no absolute path elsewhere
            assertThat(m.group(1)).as("reference in index.html").matches("[a-z]+\\.(js|css)");
            given().get("/analyzer/" + m.group(1)).then().statusCode(200);
        }
        assertThat(found).isEqualTo(2 + MODULES.size() - 1);
    }

    /** Every module app.js reaches is asked for at once, so the first rows do not wait for a chain of imports. */
    @Test
    void indexPreloadsEveryModuleTheAppImports() {
        String html = given().get("/analyzer/index.html").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("<link rel=\"modulepreload\" href=\"([a-z]+\\.js)\">").matcher(html);
        List<String> preloaded = new java.util.ArrayList<>();
        while (m.find()) {
            preloaded.add(m.group(1));
        }
        assertThat(preloaded).containsExactlyInAnyOrderElementsOf(
                MODULES.stream().filter(module -> !module.equals("app.js")).toList());
    }

    @Test
    void scriptsAndStylesHaveTheirContentTypesAndImportOnlySiblings() {
        given().get("/analyzer/app.css").then().statusCode(200).contentType(startsWith("text/css"));
        for (String module : MODULES) {
            String js = given().get("/analyzer/" + module).then().statusCode(200)
                    .contentType(org.hamcrest.Matchers.matchesPattern("(text|application)/javascript.*"))
                    .extract().asString();
            Matcher m = IMPORT.matcher(js);
            while (m.find()) {
                assertThat(m.group(1)).as("import in " + module).matches("\\./[a-z]+\\.js");
            }
            assertThat(js).as(module).doesNotContain("http://", "https://", "innerHTML");
        }
    }

    @Test
    void theChartLibraryTheTimelineLoadsIsServedFromItsWebJar() {
        String timeline = given().get("/analyzer/timeline.js").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("const UPLOT = '(/webjars/uplot/[^']+/dist/)';").matcher(timeline);
        assertThat(m.find()).as("uPlot's path in timeline.js").isTrue();
        assertThat(m.group(1)).as("the version in the pom").isEqualTo("/webjars/uplot/" + UPLOT_VERSION + "/dist/");
        given().get(m.group(1) + "uPlot.iife.min.js").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.matchesPattern("(text|application)/javascript.*"))
                .body(containsString("uPlot"));
        given().get(m.group(1) + "uPlot.min.css").then().statusCode(200).contentType(startsWith("text/css"));
    }

    @Test
    void rootAndTheBareAnalyzerPathRedirectToThePage() {
        for (String path : List.of("/", "/analyzer")) {
            given().redirects().follow(false).get(path).then().statusCode(302)
                    .header("Location", endsWith("/analyzer/"));
        }
    }

    @Test
    void theApiStillAnswersJsonNextToThePage() {
        given().get("/api/v1/proxies").then().statusCode(200).contentType(startsWith("application/json"));
    }
}
