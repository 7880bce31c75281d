package io.stagetune.registry.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.stagetune.registry.api.AliasView;
import io.stagetune.common.registry.MoveAliasRequest;
import io.stagetune.common.registry.MoveResult;
import io.stagetune.common.registry.VersionView;
import io.stagetune.registry.service.AliasService;
import io.stagetune.registry.service.VersionService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
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

import java.util.List;

@Path("/models/{model}/aliases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "aliases")
public class AliasResource {

    /** Optional note for a rollback. */
    public record RollbackRequest(String reason) {
    }

    private final AliasService aliases;
    private final VersionService versions;
    private final SecurityIdentity identity;

    public AliasResource(AliasService aliases, VersionService versions, SecurityIdentity identity) {
        this.aliases = aliases;
        this.versions = versions;
        this.identity = identity;
    }

    @GET
    @Operation(summary = "The model's aliases and the versions they point at now")
    public List<AliasView> list(@PathParam("model") String model) {
        return aliases.list(model);
    }

    @GET
    @Path("/{alias}")
    public AliasView get(@PathParam("model") String model, @PathParam("alias") String alias) {
        return aliases.get(model, alias);
    }

    @GET
    @Path("/{alias}/version")
    @Operation(summary = "The version the alias points at now, with metrics and lineage")
    public VersionView version(@PathParam("model") String model, @PathParam("alias") String alias) {
        return versions.byAlias(model, alias);
    }

    @PUT
    @Path("/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.EVALUATOR})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Point the alias at a version",
            description = "Atomic; concurrent moves of a model are serialised and each is kept in the history. "
                    + "With expectedVersion the move happens only if the alias still points there (409 otherwise; "
                    + "0 = not set). A move to the version it already points at changes nothing (moved=false). "
                    + "Publishes AliasMoved (and ModelPromoted for production) on model-events.")
    public MoveResult move(@PathParam("model") String model, @PathParam("alias") String alias,
                           MoveAliasRequest request) {
        return aliases.move(model, alias, request, Roles.actor(identity));
    }

    @POST
    @Path("/{alias}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.EVALUATOR})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Point the alias back at the version it had before its last move",
            description = "Recorded as a move with reason 'rollback'; 409 when the alias had no earlier version.")
    public MoveResult rollback(@PathParam("model") String model, @PathParam("alias") String alias,
                               RollbackRequest request) {
        return aliases.rollback(model, alias, request == null ? null : request.reason(), Roles.actor(identity));
    }

    @GET
    @Path("/{alias}/history")
    @Operation(summary = "Every move of the alias, oldest first; with ?at=<ISO-8601 instant>, what it pointed at then")
    public Object history(@PathParam("model") String model, @PathParam("alias") String alias,
                          @RestQuery String at) {
        return at == null ? aliases.history(model, alias) : aliases.at(model, alias, at);
    }
}
