package dev.tapline.forwarder.api;

import java.io.IOException;
import java.io.OutputStream;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.tapline.common.config.BuildInfo;
import dev.tapline.forwarder.config.ForwarderConfig;
import dev.tapline.forwarder.grpcview.GrpcSchemas;
import dev.tapline.forwarder.grpcview.GrpcSchemasAtStart;
import dev.tapline.forwarder.store.CaptureReader;
import dev.tapline.forwarder.store.CapturesInGroups;
import dev.tapline.forwarder.store.StoredCapture;

/**
 * The captures, for users: search them newest first, read one, or download a search as a HAR file.
 *
 * <pre>
 *   GET /api/v1/captures?app=&amp;status=&amp;method=&amp;path=&amp;since=&amp;until=&amp;limit=   JSON array
 *   GET /api/v1/captures/{id}                                                  one capture, 404 when unknown
 *   GET /api/v1/captures.har?(same filters)                                    HAR 1.2
 * </pre>
 *
 * Searches are answered as they are read: the matching ids and sizes first (a bad filter or a busy store is still
 * a clean error), then the captures in groups of bounded size ({@link CapturesInGroups}), each converted and
 * written on its own, so a response holds at most one group in memory however many captures it lists and however
 * large their bodies (up to 1,000 of 16 MiB each).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CapturesResource {

    @Inject
    CaptureReader reader;
    @Inject
    BuildInfo build;
    @Inject
    ObjectMapper json;
    @Inject
    ForwarderConfig config;

    @GET
    @Path("captures")
    @APIResponse(responseCode = "200", description = "the matching captures, newest first", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.ARRAY, implementation = CaptureView.class)))
    public Response search(@Context UriInfo uri) {
        Iterable<StoredCapture> rows = new CapturesInGroups(reader,
                reader.findRefs(CaptureFilter.parse(uri.getQueryParameters())));
        // the generator writes out as its buffer fills; a flush per capture would cost a write per capture
        ObjectWriter views = json.writerFor(CaptureView.class).without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
        GrpcSchemas schemas = grpcSchemas();
        return Response.ok(streamed(g -> {
            g.writeStartArray();
            for (StoredCapture row : rows) {
                views.writeValue(g, CaptureView.of(row, schemas));
            }
            g.writeEndArray();
        })).build();
    }

    @GET
    @Path("captures/{id}")
    @APIResponse(responseCode = "200", description = "the capture", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CaptureView.class)))
    @APIResponse(responseCode = "404", description = "no capture with this id (or no longer stored)", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
    public Response one(@PathParam("id") String id) {
        return reader.byId(id).map(row -> Response.ok(CaptureView.of(row, grpcSchemas())).build())
                .orElseGet(() -> ApiErrors.json(Response.Status.NOT_FOUND, ApiError.of("no capture with id " + id)));
    }

    @GET
    @Path("captures.har")
    @APIResponse(responseCode = "200", description = "HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    public Response har(@Context UriInfo uri) {
        Iterable<StoredCapture> rows = new CapturesInGroups(reader,
                reader.findRefs(CaptureFilter.parse(uri.getQueryParameters())));
        return Response.ok(streamed(g -> HarDocument.write(g, rows, build.version())))
                .header("Content-Disposition", "attachment; filename=\"captures.har\"").build();
    }

    /** GRPC_DESCRIPTOR_SET's methods (loaded once, by ForwarderMain or at the first read; none when unset). */
    private GrpcSchemas grpcSchemas() {
        return GrpcSchemasAtStart.schemas(config.grpcDescriptorSet());
    }

    private StreamingOutput streamed(JsonWriting writing) {
        return (OutputStream out) -> {
            try (JsonGenerator g = json.createGenerator(out)) {
                writing.write(g);
            }
        };
    }

    @FunctionalInterface
    private interface JsonWriting {
        void write(JsonGenerator g) throws IOException;
    }
}
