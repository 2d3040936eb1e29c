package dev.tapline.forwarder.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.tapline.forwarder.store.NoStoreException;
import dev.tapline.forwarder.store.StoreException;

/**
 * Turns the read API's failures into JSON answers: 400 for a bad parameter, 503 when the store cannot answer or
 * this forwarder has none (an ingest-only node: the answer says where the captures go, as Prometheus's agent mode
 * answers its query API with 503 "unavailable").
 */
public class ApiErrors {
    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @ServerExceptionMapper
    public Response badParameter(BadParameterException e) {
        return json(Response.Status.BAD_REQUEST, new ApiError(e.getMessage(), e.parameter()));
    }

    @ServerExceptionMapper
    public Response storeFailed(StoreException e) {
        LOG.errorf("Read API could not read the store: %s", e.getMessage());
        return json(Response.Status.SERVICE_UNAVAILABLE, ApiError.of("the store cannot answer now: " + e.getMessage()));
    }

    @ServerExceptionMapper
    public Response noStore(NoStoreException e) {
        return json(Response.Status.SERVICE_UNAVAILABLE, ApiError.of(e.getMessage()));
    }

    static Response json(Response.Status status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
