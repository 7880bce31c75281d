package io.stagetune.evaluator.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Names the running service, so operators (and scripts) can tell the services apart. */
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
