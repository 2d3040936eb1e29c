package dev.tapline.forwarder.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tapline.capture.v1.Capture;
import dev.tapline.capture.v1.ForwarderGrpc;
import dev.tapline.capture.v1.ProxyIdentity;
import dev.tapline.capture.v1.RegisterRequest;
import dev.tapline.forwarder.testing.Captures;
import dev.tapline.forwarder.testing.UploadClient;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document at /q/openapi describes the read API as served: every /api/v1 path the resources declare
 * is in it, and real answers of each validate against the schema of their status.
 */
@QuarkusTest
class OpenApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @GrpcClient("forwarder")
    Channel channel;

    private String app;
    private String id;

    @BeforeEach
    void upload() {
        app = Captures.unique("openapi");
        id = Captures.unique("oa");
        String proxy = Captures.unique("pod");
        ForwarderGrpc.newBlockingStub(channel).register(RegisterRequest.newBuilder().setProxy(ProxyIdentity
                .newBuilder().setProxyId(proxy).setAppLabel(app).setPodName("pod-1")).build());
        Capture.Builder missing = Captures.http(id + "-2", proxy, "/orders/9").setResponseEndUnixNanos(0);
        missing.getHttpBuilder().clearResponse().setResponseMissing(true);
        UploadClient.send(ForwarderGrpc.newStub(channel), Captures.batch(1, proxy, List.of(
                Captures.http(id, proxy, "/orders/7?x=1").build(),
                Captures.connection(id + "-1", proxy).build(), missing.build())));
    }

    private static JsonNode document() throws IOException {
        return JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .asString());
    }

    /** The /api/v1 paths the JAX-RS resources of this package declare (GET methods), as OpenAPI writes them. */
    private static Set<String> servedPaths() throws IOException, URISyntaxException, ClassNotFoundException {
        Set<String> paths = new TreeSet<>();
        Path dir = Path.of(ApiError.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve(ApiError.class.getPackageName().replace('.', '/'));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName(ApiError.class.getPackageName() + "." + name);
                jakarta.ws.rs.Path root = c.getAnnotation(jakarta.ws.rs.Path.class);
                if (root == null) {
                    continue;
                }
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(jakarta.ws.rs.GET.class)) {
                        jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                        paths.add((root.value() + (sub == null ? "" : "/" + sub.value())).replace("//", "/"));
                    }
                }
            }
        }
        return paths;
    }

    /**
     * Outside tests the document is served from files (see {@link OpenApiRoutes}); they are what the extension
     * generates here, byte for byte. {@code -Dtapline.write-openapi=true} rewrites them.
     */
    @Test
    void theServedFilesAreTheGeneratedDocument() throws IOException {
        Path dir = Path.of("src/main/resources", OpenApiRoutes.class.getPackageName().replace('.', '/'));
        String yaml = given().get("/q/openapi").then().statusCode(200).extract().asString();
        String json = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .asString();
        if (Boolean.getBoolean("tapline.write-openapi")) {
            Files.writeString(dir.resolve(OpenApiRoutes.YAML_FILE), yaml);
            Files.writeString(dir.resolve(OpenApiRoutes.JSON_FILE), json);
        }
        assertThat(yaml).startsWith("---\nopenapi:");
        assertThat(Files.readString(dir.resolve(OpenApiRoutes.YAML_FILE))).as("openapi.yaml is stale: run OpenApiTest"
                + " with -Dtapline.write-openapi=true").isEqualTo(yaml);
        assertThat(Files.readString(dir.resolve(OpenApiRoutes.JSON_FILE))).as("openapi.json is stale: run OpenApiTest"
                + " with -Dtapline.write-openapi=true").isEqualTo(json);
    }

    /** Accept: application/json gives the JSON form, as {@code ?format=json} does, here as in the packaged app. */
    @Test
    void acceptJsonGivesTheJsonDocument() throws IOException {
        String json = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .asString();
        String yaml = given().get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(json).startsWith("{");
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .contentType(startsWith("application/json")).body(equalTo(json));
        given().accept("application/yaml").get("/q/openapi").then().statusCode(200)
                .body(equalTo(yaml));
        // (the packaged forwarder's OpenApiRoutes also lets ?format=yaml win over Accept; ApiTokenE2ETest checks
        // that: the extension serving here in tests does not)
    }

    @Test
    void everyServedPathIsDocumentedWithItsFiltersAndTheBearerToken() throws Exception {
        JsonNode doc = document();
        Set<String> served = servedPaths();
        assertThat(served).contains("/api/v1/captures", "/api/v1/captures/{id}", "/api/v1/captures.har",
                "/api/v1/proxies", "/api/v1/timeline", "/api/v1/endpoints");
        List<String> documented = new ArrayList<>();
        doc.get("paths").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).containsAll(served);
        for (String p : List.of("/api/v1/captures", "/api/v1/timeline", "/api/v1/endpoints")) {
            List<String> params = new ArrayList<>();
            doc.at("/paths/" + p.replace("/", "~1") + "/get/parameters").forEach(n -> params.add(n.get("name").asText()));
            assertThat(params).as(p).contains("app", "status", "since", "until", "direction", "protocol", "q", "template");
        }
        assertThat(doc.at("/components/securitySchemes/apiToken/scheme").asText()).isEqualTo("bearer");
    }

    @Test
    void realAnswersValidateAgainstTheirSchemas() throws Exception {
        JsonNode doc = document();
        String q = "?app=" + app + "&since=2000-01-01T00:00:00Z";
        List<String[]> calls = List.of(
                new String[] { "/api/v1/captures", "/api/v1/captures?app=" + app, "200" },
                new String[] { "/api/v1/captures/{id}", "/api/v1/captures/" + id, "200" },
                new String[] { "/api/v1/captures/{id}", "/api/v1/captures/" + id + "-1", "200" },
                new String[] { "/api/v1/captures/{id}", "/api/v1/captures/" + id + "-2", "200" },
                new String[] { "/api/v1/captures/{id}", "/api/v1/captures/no-such-id", "404" },
                new String[] { "/api/v1/captures.har", "/api/v1/captures.har?app=" + app, "200" },
                new String[] { "/api/v1/proxies", "/api/v1/proxies", "200" },
                new String[] { "/api/v1/timeline", "/api/v1/timeline" + q, "200" },
                new String[] { "/api/v1/endpoints", "/api/v1/endpoints" + q, "200" });
        for (String[] call : calls) {
            JsonNode answer = JSON.readTree(given().get(call[1]).then().statusCode(Integer.parseInt(call[2]))
                    .extract().asString());
            assertThat(answer.size()).as("a non-empty answer for " + call[1]).isPositive();
            JsonNode schema = doc.at("/paths/" + call[0].replace("/", "~1") + "/get/responses/" + call[2]
                    + "/content/application~1json/schema");
            assertThat(schema.isMissingNode()).as("schema of " + call[0] + " " + call[2]).isFalse();
            assertThat(SchemaCheck.problems(doc, schema, answer)).as(call[1]).isEmpty();
        }
    }

    @Test
    void theCheckCatchesAnUndeclaredFieldAndAWrongType() throws Exception {
        JsonNode doc = document();
        JsonNode schema = doc.at("/paths/~1api~1v1~1captures~1{id}/get/responses/200/content/application~1json/schema");
        JsonNode good = JSON.readTree(given().get("/api/v1/captures/" + id).then().extract().asString());
        com.fasterxml.jackson.databind.node.ObjectNode bad = good.deepCopy();
        bad.put("surprise", 1);
        bad.put("cid", "seven");
        assertThat(SchemaCheck.problems(doc, schema, bad)).containsExactlyInAnyOrder("/surprise: not in the schema",
                "/cid: string where the schema says [integer]");
    }
}
