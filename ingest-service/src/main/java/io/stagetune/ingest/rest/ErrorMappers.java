package io.stagetune.ingest.rest;

import io.stagetune.common.storage.ObjectStoreException;
import io.stagetune.ingest.service.IngestException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Errors as JSON {@code {"status": 400, "error": "..."}} with a message that names the item and the reason. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response refused(IngestException e) {
        return error(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response storeUnavailable(ObjectStoreException e) {
        return error(503, "object store unavailable: " + e.getMessage());
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", message)).build();
    }
}
