package io.stagetune.trainer.rest;

import io.stagetune.common.dataset.DatasetManifests;
import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.events.Split;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.planner.RetrainPlanner;
import io.stagetune.trainer.planner.UnresolvableBaseException;
import io.stagetune.trainer.registry.RegistryUnavailableException;
import io.stagetune.trainer.run.Run;
import io.stagetune.trainer.run.RunStore;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.Map;

@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class RunResource {

    private final RunStore runs;
    private final RetrainPlanner planner;
    private final TrainerConfig config;
    private final DatasetManifests manifests;
    private final SecurityIdentity identity;

    public RunResource(RunStore runs, RetrainPlanner planner, TrainerConfig config, DatasetManifests manifests,
                       SecurityIdentity identity) {
        this.runs = runs;
        this.planner = planner;
        this.config = config;
        this.manifests = manifests;
        this.identity = identity;
    }

    /** A manual trigger: the model, and optionally the dataset version (default: the latest). */
    public record TriggerRequest(String model, Integer datasetVersion) {
    }

    @GET
    @Operation(summary = "All runs, oldest first")
    public List<Run> list() {
        return runs.list();
    }

    @GET
    @Path("/{runId}")
    public Run get(@PathParam("runId") String runId) {
        return runs.find(runId).orElseThrow(() -> new NotFoundException("no run '" + runId + "'"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({"admin", "trainer"})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Start a run now, whatever the trigger policy says",
            description = "409 when the model already has a run on that dataset version, or when its base backbone "
                    + "is a models:/<model>@<alias> reference the registry cannot resolve.")
    public Response trigger(TriggerRequest request) {
        if (request == null || request.model() == null) {
            throw error(400, "body must name the model: {\"model\": \"...\", \"datasetVersion\": 3}");
        }
        TrainerConfig.ModelConfig model = config.models().get(request.model());
        if (model == null) {
            throw error(404, "model '" + request.model() + "' is not configured (trainer.models."
                    + request.model() + ".*)");
        }
        DatasetVersion version = resolve(model.dataset(), request.datasetVersion());
        int trainImages = version.counts().values().stream()
                .mapToInt(perSplit -> perSplit.getOrDefault(Split.TRAIN, 0)).sum();
        String who = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        return planner.start(request.model(), model, model.dataset(), version.version(), trainImages,
                        version.labels(), "manual by " + who, "manual")
                .map(run -> Response.status(201).entity(run).build())
                .orElseGet(() -> Response.status(409).entity(Map.of("status", 409, "error", "model '"
                        + request.model() + "' already has run " + Run.idFor(request.model(), model.dataset(),
                        version.version()))).build());
    }

    @ServerExceptionMapper
    public Response unresolvableBase(UnresolvableBaseException e) {
        return Response.status(409).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 409, "error", e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response registryUnavailable(RegistryUnavailableException e) {
        return Response.status(503).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", 503, "error", e.getMessage() + "; try again")).build();
    }

    private DatasetVersion resolve(String datasetId, Integer version) {
        if (version == null) {
            List<DatasetVersion> versions = manifests.versions(datasetId);
            if (versions.isEmpty()) {
                throw error(409, "dataset '" + datasetId + "' has no version yet");
            }
            return versions.get(versions.size() - 1);
        }
        return manifests.version(datasetId, version)
                .orElseThrow(() -> error(404, "dataset '" + datasetId + "' has no version " + version));
    }

    private static WebApplicationException error(int status, String message) {
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "error", message)).build());
    }
}
