package dev.tapline.forwarder.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * The Analyzer is static files under {@code META-INF/resources/analyzer/}; they hold no data and need no token
 * (the page reads everything through {@code /api/...}, which {@link ApiTokenFilter} guards). Here only:
 *
 * <pre>
 *   GET /  and  GET /analyzer   302 -> /analyzer/   (relative URLs in the page need the trailing slash)
 *   /analyzer/*                 a Content-Security-Policy: the page may load and call only this origin
 * </pre>
 */
@ApplicationScoped
public class AnalyzerRoutes {
    static final String HOME = "/analyzer/";
    static final String POLICY = "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; "
            + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    void routes(@Observes Router router) {
        router.getWithRegex("/|/analyzer").handler(rc -> rc.redirect(HOME));
        router.route("/analyzer/*").handler(rc -> {
            rc.response().putHeader("Content-Security-Policy", POLICY).putHeader("X-Content-Type-Options", "nosniff");
            rc.next();
        });
    }
}
