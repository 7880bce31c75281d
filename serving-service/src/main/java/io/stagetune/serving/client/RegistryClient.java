package io.stagetune.serving.client;

import io.stagetune.common.registry.VersionView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The model registry's REST API as the serving-service reads it ({@code quarkus.rest-client.registry.url}). */
@RegisterRestClient(configKey = "registry")
@Produces(MediaType.APPLICATION_JSON)
public interface RegistryClient {

    /** The version an alias points at now; 404 when the model or the alias does not exist. */
    @GET
    @Path("/models/{model}/aliases/{alias}/version")
    VersionView versionOf(@PathParam("model") String model, @PathParam("alias") String alias);
}
