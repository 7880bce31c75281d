package io.stagetune.registry.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.stagetune.common.registry.PromotionRequest;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.registry.service.PromotionService;
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

@Path("/models/{model}/promotions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "promotions")
public class PromotionResource {

    private final PromotionService promotions;
    private final SecurityIdentity identity;

    public PromotionResource(PromotionService promotions, SecurityIdentity identity) {
        this.promotions = promotions;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "Promotion decisions, newest first, optionally about one candidate or with one outcome")
    public List<PromotionView> list(@PathParam("model") String model, @RestQuery Long candidateVersion,
                                    @RestQuery Boolean promoted) {
        return promotions.list(model, candidateVersion, promoted);
    }

    @GET
    @Path("/{id}")
    public PromotionView get(@PathParam("model") String model, @PathParam("id") long id) {
        return promotions.get(model, id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.EVALUATOR})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Record a promotion decision",
            description = "A positive decision moves production to the candidate in the same transaction (409 when "
                    + "production is no longer the version the candidate was compared with). The same comparison "
                    + "(candidate, production) is stored once: 201 when stored now, 200 with the stored one.")
    public Response record(@PathParam("model") String model, PromotionRequest request, UriInfo uri) {
        PromotionService.Recorded recorded = promotions.record(model, request, Roles.actor(identity));
        if (!recorded.created()) {
            return Response.ok(recorded.decision()).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(Long.toString(recorded.decision().id())).build())
                .entity(recorded.decision()).build();
    }
}
