package io.stagetune.registry.rest;

import io.stagetune.common.registry.RunRequest;
import io.stagetune.common.registry.RunStatus;
import io.stagetune.common.registry.RunUpdate;
import io.stagetune.common.registry.RunView;
import io.stagetune.registry.api.EpochView;
import io.stagetune.registry.service.RunService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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

@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunResource {

    private final RunService runs;

    public RunResource(RunService runs) {
        this.runs = runs;
    }

    @GET
    @Operation(summary = "Runs, oldest first, optionally of one model or in one status")
    public List<RunView> list(@RestQuery String model, @RestQuery String status) {
        return runs.list(model, QueryParams.enumValue("status", status, RunStatus.class));
    }

    @GET
    @Path("/{runId}")
    public RunView get(@PathParam("runId") String runId) {
        return runs.get(runId);
    }

    @GET
    @Path("/{runId}/epochs")
    @Operation(summary = "The run's completed epochs (loss, accuracies, images/s, best so far), as trained",
            description = "From the trainer's EpochCompleted events on training-progress; a running run gains rows "
                    + "as its epochs complete.")
    public List<EpochView> epochs(@PathParam("runId") String runId) {
        return runs.epochs(runId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.TRAINER})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Create a run",
            description = "201 for a new run, 200 when the same run exists already; 409 when the run id or the "
                    + "model and dataset version belong to another run.")
    public Response create(RunRequest request, UriInfo uri) {
        RunService.Creation creation = runs.create(request);
        if (!creation.created()) {
            return Response.ok(creation.run()).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(creation.run().runId()).build())
                .entity(creation.run()).build();
    }

    @PATCH
    @Path("/{runId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.TRAINER, Roles.EVALUATOR})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Update a run's status and/or the status of some stages")
    public RunView update(@PathParam("runId") String runId, RunUpdate update) {
        return runs.update(runId, update);
    }
}
