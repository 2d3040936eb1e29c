package dev.tapline.forwarder.api;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Completes the OpenAPI document at {@code /q/openapi} where annotations cannot: the search filters, which the
 * resources read from the query string as a whole ({@link CaptureFilter}), are listed once here for every
 * operation that takes them; the bearer token every {@code /api/v1} call needs ({@link ApiTokenFilter}); and the
 * 503 of every read of the store ({@link ApiErrors}: the store cannot answer, or this forwarder has none).
 */
public class ApiDocument implements OASFilter {
    private static final String BEARER = "apiToken";
    private static final List<String[]> FILTERS = List.of(
            new String[] { "app", "APP_LABEL of the proxy, exact" },
            new String[] { "proxy", "proxy id, exact" },
            new String[] { "method", "request method such as GET" },
            new String[] { "status", "a code such as 404 or a class such as 5xx" },
            new String[] { "path", "a part of the request path (without the query)" },
            new String[] { "since", "start time at or after, RFC 3339" },
            new String[] { "until", "start time before, RFC 3339" },
            new String[] { "direction", "inbound or outbound" },
            new String[] { "protocol", "http1, http2, tls or tcp" },
            new String[] { "template", "path template as in /api/v1/endpoints, exact, such as /orders/{id}" },
            new String[] { "q", "text in the URL, a header or a body as stored (after DLP), case-sensitive" });
    private static final Map<String, List<String[]>> EXTRA = Map.of(
            "/api/v1/captures", List.<String[]>of(new String[] { "limit", "how many at most, 1-1000 (100)" }),
            "/api/v1/captures.har", List.<String[]>of(new String[] { "limit", "how many at most, 1-1000 (100)" }),
            "/api/v1/timeline", List.<String[]>of(new String[] { "buckets", "intervals at most, 1-1000 (60)" }),
            "/api/v1/endpoints", List.of());
    private static final List<String> STORE_READS = List.of("/api/v1/captures", "/api/v1/captures/{id}",
            "/api/v1/captures.har", "/api/v1/timeline", "/api/v1/endpoints");
    private static final String UNAVAILABLE = "the store cannot answer now, or this forwarder is an ingest-only node"
            + " (SINK=kafka, no store): the error says where the captures go";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        api.getComponents().addSecurityScheme(BEARER, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("API_TOKEN, or the token generated at start (logged in the Analyzer's URL)"));
        api.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(BEARER));
        if (api.getPaths() == null) {
            return;
        }
        for (String path : STORE_READS) {
            PathItem item = api.getPaths().getPathItem(path);
            if (item != null && item.getGET() != null && item.getGET().getResponses() != null) {
                item.getGET().getResponses().addAPIResponse("503", OASFactory.createAPIResponse()
                        .description(UNAVAILABLE).content(OASFactory.createContent().addMediaType("application/json",
                                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("ApiError")))));
            }
        }
        for (Map.Entry<String, List<String[]>> e : EXTRA.entrySet()) {
            PathItem item = api.getPaths().getPathItem(e.getKey());
            Operation get = item == null ? null : item.getGET();
            if (get == null) {
                continue;
            }
            for (String[] p : FILTERS) {
                get.addParameter(query(p[0], p[1], p[0].equals("since") || p[0].equals("until") ? "date-time" : null));
            }
            for (String[] p : e.getValue()) {
                get.addParameter(query(p[0], p[1], null));
            }
        }
    }

    private static Parameter query(String name, String description, String format) {
        Schema schema = OASFactory.createSchema().addType(name.equals("limit") || name.equals("buckets")
                ? Schema.SchemaType.INTEGER : Schema.SchemaType.STRING);
        if (format != null) {
            schema.format(format);
        }
        return OASFactory.createParameter().name(name).in(Parameter.In.QUERY).description(description).schema(schema);
    }
}
