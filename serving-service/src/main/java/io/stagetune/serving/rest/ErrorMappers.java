package io.stagetune.serving.rest;

import io.stagetune.serving.service.PredictionException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Errors as JSON {@code {"status": 422, "code": "not-image", "error": "..."}}, the message naming item and reason. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response refused(PredictionException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", e.status(), "code", e.code(), "error", e.getMessage())).build();
    }
}
