package io.stagetune.ingest.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.stagetune.ingest.api.LiveView;
import io.stagetune.ingest.api.ReviewItemView;
import io.stagetune.ingest.review.ReviewService;
import io.stagetune.ingest.service.IngestException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.Map;

/** The review queue of a model's production predictions, the labels people give them, and live figures. */
@Path("/models/{model}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "review")
public class ReviewResource {

    /** The body of a label: the true label of the item's image. */
    public record LabelRequest(String label) {
    }

    private final ReviewService reviews;
    private final SecurityIdentity identity;

    public ReviewResource(ReviewService reviews, SecurityIdentity identity) {
        this.reviews = reviews;
        this.identity = identity;
    }

    @GET
    @Path("/review")
    @Operation(summary = "The review queue, oldest prediction first",
            description = "Filter by predicted 'label', 'reason' (uncertain|audit) and 'state' (open|labelled|all; "
                    + "default open). Each item carries the served version's top-k as the pre-filled answer.")
    public ReviewItemView.Queue queue(@PathParam("model") String model, @RestQuery String label,
                                      @RestQuery String reason, @RestQuery String state,
                                      @RestQuery @DefaultValue("100") int limit) {
        return reviews.queue(model, label, reason, state, limit);
    }

    @GET
    @Path("/review/{id}/image")
    @Produces({"image/png", "image/jpeg", MediaType.APPLICATION_JSON})
    @Operation(summary = "The kept image of a review item")
    public Response image(@PathParam("model") String model, @PathParam("id") String id) {
        ReviewService.Image image = reviews.image(model, id);
        return Response.ok(image.bytes(), image.contentType()).build();
    }

    @POST
    @Path("/review/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("reviewer")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Label a review item",
            description = "Body {\"label\": \"...\"}: accepts or corrects the prediction. The image joins the "
                    + "model's dataset with its provenance (staged; a version per batch of labels). The same label "
                    + "again answers the same; another label for a labelled item is a 409.")
    public ReviewItemView.Labelled label(@PathParam("model") String model, @PathParam("id") String id,
                                         LabelRequest request) {
        if (request == null || request.label() == null || request.label().isBlank()) {
            throw IngestException.badRequest("no label: send {\"label\": \"<true label>\"} for item " + id);
        }
        return reviews.label(model, id, request.label().trim(), identity.getPrincipal().getName());
    }

    @POST
    @Path("/review/seal")
    @RolesAllowed("reviewer")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Create a dataset version from the staged labels now")
    public Response seal(@PathParam("model") String model) {
        return reviews.seal(model).map(version -> Response.status(201).entity(version).build())
                .orElseGet(() -> Response.ok(Map.of("model", model, "message", "nothing staged")).build());
    }

    @GET
    @Path("/live")
    @Operation(summary = "A served version's accuracy on live traffic, from audit labels",
            description = "Default version: the one with the newest audit label; default window: the policy's.")
    public LiveView live(@PathParam("model") String model, @RestQuery Long version, @RestQuery Integer window) {
        return reviews.live(model, version, window);
    }
}
