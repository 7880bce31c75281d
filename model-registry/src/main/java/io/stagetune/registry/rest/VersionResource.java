package io.stagetune.registry.rest;

import io.stagetune.common.events.Stage;
import io.stagetune.registry.api.VersionQuery;
import io.stagetune.registry.api.VersionSummary;
import io.stagetune.registry.service.VersionService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.List;

@Path("/versions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
public class VersionResource {

    private final VersionService versions;

    public VersionResource(VersionService versions) {
        this.versions = versions;
    }

    @GET
    @Operation(summary = "Search versions of all models",
            description = "Every given filter must match: model, runId, stage, datasetId, datasetVersion, alias "
                    + "(versions an alias points at now), checkpoint (URI).")
    public List<VersionSummary> search(@RestQuery String model, @RestQuery String runId, @RestQuery String stage,
                                       @RestQuery String datasetId, @RestQuery Integer datasetVersion,
                                       @RestQuery String alias, @RestQuery String checkpoint) {
        return versions.search(new VersionQuery(model, runId,
                QueryParams.enumValue("stage", stage, Stage.class), datasetId, datasetVersion, alias, checkpoint));
    }
}
