package io.stagetune.registry.rest;

import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.LeaseRequest;
import io.stagetune.common.registry.StageLeaseView;
import io.stagetune.registry.service.StageLeaseService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** The lease on a run's stage: which trainer worker trains it, fenced by a token (see StageLeaseService). */
@Path("/runs/{runId}/stages/{stage}/lease")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "runs")
public class StageLeaseResource {

    private final StageLeaseService leases;

    public StageLeaseResource(StageLeaseService leases) {
        this.leases = leases;
    }

    @GET
    @Operation(summary = "The stage's lease: state, owner, token, expiry, last epoch checkpoint")
    public StageLeaseView get(@PathParam("runId") String runId, @PathParam("stage") String stage) {
        return leases.get(runId, stage(stage));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.TRAINER})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Acquire the stage's lease",
            description = "200 with granted=true and a new token when the lease was free, released, expired or "
                    + "already the caller's; 200 with granted=false and the holder otherwise (PUBLISHED: never).")
    public StageLeaseView acquire(@PathParam("runId") String runId, @PathParam("stage") String stage,
                                  LeaseRequest request) {
        return leases.acquire(runId, stage(stage), request);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.TRAINER})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Renew the lease, optionally recording a durable epoch checkpoint",
            description = "409 when the token is no longer current: the caller has lost the lease.")
    public StageLeaseView renew(@PathParam("runId") String runId, @PathParam("stage") String stage,
                                LeaseRequest request) {
        return leases.renew(runId, stage(stage), request);
    }

    @POST
    @Path("/completion")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.TRAINER})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Choose the current token's checkpoint attempt as the stage's checkpoint (once)")
    public StageLeaseView complete(@PathParam("runId") String runId, @PathParam("stage") String stage,
                                   LeaseRequest request) {
        return leases.complete(runId, stage(stage), request);
    }

    @POST
    @Path("/publication")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.TRAINER})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Record that the completed checkpoint and the next stage command are published")
    public StageLeaseView published(@PathParam("runId") String runId, @PathParam("stage") String stage,
                                    LeaseRequest request) {
        return leases.published(runId, stage(stage), request);
    }

    @DELETE
    @RolesAllowed({Roles.ADMIN, Roles.TRAINER})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Release the lease (a stopping worker); the next holder resumes without waiting")
    public StageLeaseView release(@PathParam("runId") String runId, @PathParam("stage") String stage,
                                  @RestQuery String owner, @RestQuery Long token) {
        return leases.release(runId, stage(stage), new LeaseRequest(owner, token, null, null, null, null));
    }

    private static Stage stage(String stage) {
        return QueryParams.enumValue("stage", stage, Stage.class);
    }
}
