package io.stagetune.registry.rest;

import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.ModelView;
import io.stagetune.common.registry.RegisterVersionRequest;
import io.stagetune.registry.api.VersionQuery;
import io.stagetune.registry.api.VersionSummary;
import io.stagetune.common.registry.VersionView;
import io.stagetune.registry.service.ModelService;
import io.stagetune.registry.service.VersionService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;

@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
public class ModelResource {

    private final ModelService models;
    private final VersionService versions;

    public ModelResource(ModelService models, VersionService versions) {
        this.models = models;
        this.versions = versions;
    }

    @GET
    @Operation(summary = "All models with their version count, newest version and current aliases")
    public List<ModelView> list() {
        return models.list();
    }

    @GET
    @Path("/{model}")
    public ModelView get(@PathParam("model") String model) {
        return models.get(model);
    }

    @GET
    @Path("/{model}/versions")
    @Operation(summary = "Versions of a model, filtered by run, stage, dataset (version) or current alias")
    public List<VersionSummary> versions(@PathParam("model") String model, @RestQuery String runId,
                                         @RestQuery String stage, @RestQuery String datasetId,
                                         @RestQuery Integer datasetVersion, @RestQuery String alias) {
        return versions.search(new VersionQuery(model, runId,
                QueryParams.enumValue("stage", stage, Stage.class), datasetId, datasetVersion, alias, null));
    }

    @POST
    @Path("/{model}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.EVALUATOR})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Register a checkpoint as the model's next version",
            description = "Idempotent on the checkpoint URI: 201 for a new version, 200 with the existing one; "
                    + "409 when the checkpoint is registered under another model. The model is created with its "
                    + "first version.")
    public Response register(@PathParam("model") String model, RegisterVersionRequest request, UriInfo uri) {
        VersionService.Registration registration = versions.register(model, request);
        if (!registration.created()) {
            return Response.ok(registration.version()).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(registration.version().version()))
                .build()).entity(registration.version()).build();
    }

    @GET
    @Path("/{model}/versions/{version}")
    @Operation(summary = "One version with its metrics, aliases and lineage (parents, nearest first)")
    public VersionView version(@PathParam("model") String model, @PathParam("version") long version) {
        return versions.get(model, version);
    }
}
