package io.stagetune.common.runtime;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code GET /info} of every service: names the running service ({@code quarkus.application.name}), so operators
 * and scripts can tell the services apart behind their ports. Found in this library's index by each service's REST
 * layer.
 */
@Path("/info")
public class InfoResource {

    public record ServiceInfo(String service) {
    }

    private final String service;

    public InfoResource(@ConfigProperty(name = "quarkus.application.name") String service) {
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ServiceInfo info() {
        return new ServiceInfo(service);
    }
}
