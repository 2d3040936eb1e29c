package dev.tapline.forwarder.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import dev.tapline.forwarder.auth.ApiAccess;

/**
 * Unless API_TOKEN=none, the captures can be read only with {@code Authorization: Bearer <token>} (API_TOKEN, or
 * the one generated at start, see {@link ApiAccess}): the read API ({@code /api/...}) and its OpenAPI document
 * ({@code /q/openapi}). Others get 401 and a JSON error. Health and metrics stay open for probes and scrapers;
 * the Analyzer's static files hold no data. A Vert.x filter, so that it covers Quarkus's own routes as well.
 */
@ApplicationScoped
public class ApiTokenFilter {
    private static final int PRIORITY = 100;
    private static final String REFUSED = "{\"error\":\"missing or invalid API token: send \\\"Authorization: Bearer"
            + " <API_TOKEN>\\\" (the token is logged at start when API_TOKEN is not set)\"}";

    void register(@Observes Filters filters, ApiAccess access) {
        filters.register(rc -> check(rc, access), PRIORITY);
    }

    private static void check(RoutingContext rc, ApiAccess access) {
        String path = rc.normalizedPath();
        boolean guarded = path.startsWith("/api/") || path.equals("/q/openapi") || path.startsWith("/q/openapi.")
                || path.startsWith("/q/openapi/");
        if (!guarded || access.token().allows(rc.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("WWW-Authenticate", "Bearer realm=\"tapline\"").end(REFUSED);
    }
}
