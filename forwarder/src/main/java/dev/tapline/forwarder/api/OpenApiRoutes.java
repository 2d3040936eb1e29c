package dev.tapline.forwarder.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the read API's OpenAPI document as Quarkus's OpenAPI extension would, from the two files next to this
 * class ({@code openapi.yaml}, {@code openapi.json}):
 *
 * <pre>
 *   GET /q/openapi                 YAML; JSON with ?format=json or Accept: application/json (?format= wins)
 *   GET /q/openapi.yaml|.yml|.json that format
 * </pre>
 *
 * The extension is a test dependency only: it builds its document eagerly at every start, which cost the forwarder
 * about 0.4 s of a 2.5 s start. In tests it serves the document it generates from the resources' annotations
 * (this class is off there), and {@code OpenApiTest} fails when the files differ from it; run that test with
 * {@code -Dtapline.write-openapi=true} to rewrite them. Guarded by {@link ApiTokenFilter} like the API.
 */
@ApplicationScoped
@UnlessBuildProfile("test")
public class OpenApiRoutes {
    static final String YAML_FILE = "openapi.yaml";
    static final String JSON_FILE = "openapi.json";
    private static final String YAML_TYPE = "application/yaml;charset=UTF-8";
    private static final String JSON_TYPE = "application/json;charset=UTF-8";

    private volatile Buffer yaml;
    private volatile Buffer json;

    void routes(@Observes Router router) {
        router.get("/q/openapi").handler(rc -> send(rc, wantsJson(rc)));
        router.get("/q/openapi.json").handler(rc -> send(rc, true));
        router.getWithRegex("/q/openapi\\.ya?ml").handler(rc -> send(rc, false));
    }

    private static boolean wantsJson(RoutingContext rc) {
        String format = rc.request().getParam("format");
        if (format != null) {
            return format.equalsIgnoreCase("json");
        }
        String accept = rc.request().getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("application/json");
    }

    private void send(RoutingContext rc, boolean asJson) {
        // read on first use, not at start: start time is what this class exists for
        if (asJson && json == null) {
            json = load(JSON_FILE);
        } else if (!asJson && yaml == null) {
            yaml = load(YAML_FILE);
        }
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, asJson ? JSON_TYPE : YAML_TYPE)
                .end(asJson ? json : yaml);
    }

    private static Buffer load(String file) {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the forwarder's jar");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
