package io.stagetune.registry.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.stagetune.registry.service.RegistryException;
import jakarta.persistence.LockTimeoutException;
import jakarta.persistence.PessimisticLockException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** Errors as JSON {@code {"status": 400, "error": "..."}} with a message that names the item and the reason. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response refused(RegistryException e) {
        return error(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return error(400, "request body is not valid JSON for this resource: " + e.getOriginalMessage());
    }

    /** JAX-RS's own refusals (unreadable body, unknown path, wrong method) in the same JSON shape. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response response = e.getResponse();
        if (response != null && response.hasEntity()) {
            return response;
        }
        int status = response == null ? 500 : response.getStatus();
        String cause = e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + e.getCause().getMessage();
        return error(status, status == 400 ? "request body or parameters are not valid: " + cause : cause);
    }

    @ServerExceptionMapper({PessimisticLockException.class, LockTimeoutException.class})
    public Response busy(RuntimeException e) {
        return error(503, "the model is busy with another change, try again: " + e.getMessage());
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", message)).build();
    }
}
