package io.stagetune.trainer.registry;

import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.LeaseRequest;
import io.stagetune.common.registry.RunRequest;
import io.stagetune.common.registry.RunUpdate;
import io.stagetune.common.registry.RunView;
import io.stagetune.common.registry.StageLeaseView;
import io.stagetune.common.registry.VersionView;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/** The model registry's REST API as the trainer uses it ({@code quarkus.rest-client.registry.url}). */
@RegisterRestClient(configKey = "registry")
@ClientHeaderParam(name = "Authorization", value = "Bearer ${trainer.registry.token}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface RegistryClient {

    /** 201 with the new run, or 200 with the existing one when the run exists already (nothing changed). */
    @POST
    @Path("/runs")
    Response createRun(RunRequest request);

    @PATCH
    @Path("/runs/{runId}")
    RunView updateRun(@PathParam("runId") String runId, RunUpdate update);

    @GET
    @Path("/runs/{runId}")
    RunView run(@PathParam("runId") String runId);

    @GET
    @Path("/runs")
    List<RunView> runs(@QueryParam("model") String model);

    @POST
    @Path("/runs/{runId}/stages/{stage}/lease")
    StageLeaseView acquireLease(@PathParam("runId") String runId, @PathParam("stage") Stage stage,
                                LeaseRequest request);

    @PUT
    @Path("/runs/{runId}/stages/{stage}/lease")
    StageLeaseView renewLease(@PathParam("runId") String runId, @PathParam("stage") Stage stage,
                              LeaseRequest request);

    @POST
    @Path("/runs/{runId}/stages/{stage}/lease/completion")
    StageLeaseView completeLease(@PathParam("runId") String runId, @PathParam("stage") Stage stage,
                                 LeaseRequest request);

    @POST
    @Path("/runs/{runId}/stages/{stage}/lease/publication")
    StageLeaseView leasePublished(@PathParam("runId") String runId, @PathParam("stage") Stage stage,
                                  LeaseRequest request);

    @DELETE
    @Path("/runs/{runId}/stages/{stage}/lease")
    StageLeaseView releaseLease(@PathParam("runId") String runId, @PathParam("stage") Stage stage,
                                @QueryParam("owner") String owner, @QueryParam("token") long token);

    /** The version an alias points at; 404 when the model or the alias does not exist. */
    @GET
    @Path("/models/{model}/aliases/{alias}/version")
    VersionView aliasVersion(@PathParam("model") String model, @PathParam("alias") String alias);
}
