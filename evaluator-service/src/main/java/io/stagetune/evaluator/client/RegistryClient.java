package io.stagetune.evaluator.client;

import io.stagetune.common.registry.PromotionRequest;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.common.registry.RegisterVersionRequest;
import io.stagetune.common.registry.VersionView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/** The model registry's REST API as the evaluator uses it ({@code quarkus.rest-client.registry.url}). */
@RegisterRestClient(configKey = "registry")
@ClientHeaderParam(name = "Authorization", value = "Bearer ${evaluator.registry-token}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface RegistryClient {

    @GET
    @Path("/versions")
    List<VersionView> versionsWithCheckpoint(@QueryParam("checkpoint") String checkpoint);

    @GET
    @Path("/models/{model}/versions")
    List<VersionView> versionsOfRun(@PathParam("model") String model, @QueryParam("runId") String runId);

    /** A version with its metrics and lineage (the lists above carry summaries only). */
    @GET
    @Path("/models/{model}/versions/{version}")
    VersionView version(@PathParam("model") String model, @PathParam("version") long version);

    @POST
    @Path("/models/{model}/versions")
    VersionView register(@PathParam("model") String model, RegisterVersionRequest request);

    /** The version {@code production} points at; 404 when the model has none. */
    @GET
    @Path("/models/{model}/aliases/production/version")
    VersionView production(@PathParam("model") String model);

    @GET
    @Path("/models/{model}/promotions")
    List<PromotionView> promotionsOf(@PathParam("model") String model,
                                     @QueryParam("candidateVersion") long candidateVersion);

    @POST
    @Path("/models/{model}/promotions")
    PromotionView decide(@PathParam("model") String model, PromotionRequest request);

    /** Points an alias at a version (not production: the registry's promotion decision moves that one). */
    @PUT
    @Path("/models/{model}/aliases/{alias}")
    jakarta.ws.rs.core.Response moveAlias(@PathParam("model") String model, @PathParam("alias") String alias,
                                          io.stagetune.common.registry.MoveAliasRequest request);
}
