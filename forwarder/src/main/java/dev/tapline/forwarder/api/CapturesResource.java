package dev.tapline.forwarder.api;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.tapline.common.config.BuildInfo;
import dev.tapline.forwarder.store.CaptureReader;

/**
 * The captures, for users: search them newest first, read one, or download a search as a HAR file.
 *
 * <pre>
 *   GET /api/v1/captures?app=&amp;status=&amp;method=&amp;path=&amp;since=&amp;until=&amp;limit=   JSON array
 *   GET /api/v1/captures/{id}                                                  one capture, 404 when unknown
 *   GET /api/v1/captures.har?(same filters)                                    HAR 1.2
 * </pre>
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CapturesResource {

    @Inject
    CaptureReader reader;
    @Inject
    BuildInfo build;

    @GET
    @Path("captures")
    public List<CaptureView> search(@Context UriInfo uri) {
        return reader.find(CaptureFilter.parse(uri.getQueryParameters())).stream().map(CaptureView::of).toList();
    }

    @GET
    @Path("captures/{id}")
    public Response one(@PathParam("id") String id) {
        return reader.byId(id).map(row -> Response.ok(CaptureView.of(row)).build())
                .orElseGet(() -> ApiErrors.json(Response.Status.NOT_FOUND, ApiError.of("no capture with id " + id)));
    }

    @GET
    @Path("captures.har")
    public Response har(@Context UriInfo uri) {
        return Response.ok(HarDocument.of(reader.find(CaptureFilter.parse(uri.getQueryParameters())), build.version()))
                .header("Content-Disposition", "attachment; filename=\"captures.har\"").build();
    }
}
