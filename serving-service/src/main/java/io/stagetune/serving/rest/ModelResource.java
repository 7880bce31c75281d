package io.stagetune.serving.rest;

import io.stagetune.serving.api.PredictionResponse;
import io.stagetune.serving.config.ServingConfig;
import io.stagetune.serving.model.ServedModel;
import io.stagetune.serving.model.ServedModels;
import io.stagetune.serving.service.PredictionService;
import io.stagetune.serving.service.ShadowAliases;
import io.stagetune.serving.service.PredictionService.IncomingImage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The served models, and {@code POST /models/{model}/predict}. Who may call it is configuration ({@code quarkus.http.auth.permission.
 * predict.policy}): anyone on the local stack, a bearer token with role {@code predict} in compose and Kubernetes.
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
public class ModelResource {

    /**
     * A served model: the alias followed, the version loaded now (null while none is), its labels and the most
     * images it runs in one forward (chosen at warm-up, see {@code serving.batch.tune}); the shadow alias (null when
     * none is configured) and the shadow version run now (null while none is).
     */
    public record ServedView(String model, String alias, Long version, List<String> labels, Integer maxBatchSize,
                             String shadowAlias, Long shadowVersion) {
    }

    private static final String DESCRIPTION = "Answers the version that computed it (and the alias it was reached "
            + "through), a predictionId, and per image in request order its sha256 and top k labels with "
            + "probabilities. Bad input is refused whole, naming the image and the reason: 400 (no image, empty "
            + "image, bad k), 413 (too many images or bytes), 422 (not a PNG or JPEG, corrupt, too many pixels); "
            + "404 for a model this service does not serve; 503 while no version is loaded.";

    private final PredictionService predictions;
    private final ServedModels served;
    private final ServingConfig config;
    private final ShadowAliases shadows;

    public ModelResource(PredictionService predictions, ServedModels served, ServingConfig config,
                         ShadowAliases shadows) {
        this.predictions = predictions;
        this.served = served;
        this.config = config;
        this.shadows = shadows;
    }

    @GET
    @Operation(summary = "The models served, with the version each serves now and the shadow version run beside it")
    public List<ServedView> models() {
        return config.models().stream().map(model -> {
            Optional<ServedModel> current = served.current(model);
            return new ServedView(model, config.alias(), current.map(ServedModel::version).orElse(null),
                    current.map(ServedModel::labels).orElse(List.of()),
                    current.map(ServedModel::maxBatchSize).orElse(null), shadows.of(model).orElse(null),
                    served.currentShadow(model).map(ServedModel::version).orElse(null));
        }).toList();
    }

    @POST
    @Path("/{model}/predict")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Classify images sent as multipart parts 'image' (one) and/or 'images' (several)",
            description = DESCRIPTION)
    public PredictionResponse predictParts(@PathParam("model") String model,
                                           @RestForm("image") List<FileUpload> image,
                                           @RestForm("images") List<FileUpload> images,
                                           @RestQuery @DefaultValue("5") int k) {
        List<IncomingImage> incoming = new ArrayList<>();
        read(image, incoming);
        read(images, incoming);
        return predictions.predict(model, incoming, k);
    }

    @POST
    @Path("/{model}/predict")
    @Consumes({"image/png", "image/jpeg", MediaType.APPLICATION_OCTET_STREAM})
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Classify one image sent as the raw body (image/png, image/jpeg)", description = DESCRIPTION)
    public PredictionResponse predictBody(@PathParam("model") String model, byte[] body,
                                          @RestQuery @DefaultValue("5") int k) {
        return predictions.predict(model, List.of(new IncomingImage(null, body == null ? new byte[0] : body)), k);
    }

    private static void read(List<FileUpload> uploads, List<IncomingImage> into) {
        if (uploads == null) {
            return;
        }
        for (FileUpload upload : uploads) {
            try {
                into.add(new IncomingImage(upload.fileName(), Files.readAllBytes(upload.uploadedFile())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
