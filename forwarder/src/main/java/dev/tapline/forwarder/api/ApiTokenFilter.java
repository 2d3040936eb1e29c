package dev.tapline.forwarder.api;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.tapline.forwarder.auth.BearerToken;
import dev.tapline.forwarder.config.ForwarderConfig;

/**
 * With API_TOKEN set, the read API ({@code /api/...}) answers only requests with {@code Authorization: Bearer
 * <API_TOKEN>}; others get 401 and a JSON error. Health and metrics stay open for probes and scrapers.
 * (ApplicationScoped, not Singleton: the filter is wired at build time, the token is read at first use.)
 */
@ApplicationScoped
public class ApiTokenFilter {
    @Inject
    ForwarderConfig config;

    private BearerToken token;

    @PostConstruct
    void init() {
        token = BearerToken.of(config.apiToken());
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        if (!token.required() || !request.getUriInfo().getPath().startsWith("/api/")
                || token.allows(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return null;
        }
        return Response.fromResponse(ApiErrors.json(Response.Status.UNAUTHORIZED,
                ApiError.of("missing or invalid API token: send \"Authorization: Bearer <API_TOKEN>\"")))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tapline\"").build();
    }
}
