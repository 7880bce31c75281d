package io.stagetune.serving.rest;

import io.stagetune.serving.config.ServingConfig;
import io.stagetune.serving.model.ServedModels;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
public class ModelsResource {

    /** A served model: the alias followed, the version loaded now (null while none is) and its labels. */
    public record ServedView(String model, String alias, Long version, List<String> labels) {
    }

    private final ServedModels served;
    private final ServingConfig config;

    public ModelsResource(ServedModels served, ServingConfig config) {
        this.served = served;
        this.config = config;
    }

    @GET
    @Operation(summary = "The models served, with the version each serves now")
    public List<ServedView> models() {
        return config.models().stream().map(model -> served.current(model)
                .map(current -> new ServedView(model, config.alias(), current.version(), current.labels()))
                .orElse(new ServedView(model, config.alias(), null, List.of()))).toList();
    }
}
