package io.stagetune.ingest.rest;

import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.ingest.api.DatasetView;
import io.stagetune.ingest.api.UploadResult;
import io.stagetune.ingest.service.DatasetService;
import io.stagetune.ingest.service.UploadRequest;
import io.stagetune.ingest.service.UploadService;
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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.List;
import java.util.Map;

@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets")
public class DatasetResource {

    private final UploadService uploads;
    private final DatasetService datasets;

    public DatasetResource(UploadService uploads, DatasetService datasets) {
        this.uploads = uploads;
        this.datasets = datasets;
    }

    @POST
    @Path("/{datasetId}/images")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed("ingest")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Upload labelled images",
            description = "Parts 'file' (PNG/JPEG) with 'label' (one per file, or one for all) and optional "
                    + "'split' (train|val|test); and/or 'archive' parts (zip or tar.gz in ImageFolder layout "
                    + "label/x.png or split/label/x.png). Each file is reported accepted, duplicate or rejected "
                    + "with its reason. With commit=true (default) the upload creates a dataset version; with "
                    + "commit=false it is staged until the next committed upload or seal.")
    public Response upload(@PathParam("datasetId") String datasetId,
                           @RestForm("file") List<FileUpload> files,
                           @RestForm("label") List<String> labels,
                           @RestForm("split") List<String> splits,
                           @RestForm("archive") List<FileUpload> archives,
                           @RestQuery @DefaultValue("true") boolean commit) {
        UploadResult result = uploads.upload(datasetId,
                new UploadRequest(incoming(files), labels, splits, incoming(archives), commit));
        int status = result.version() != null ? 201 : (result.accepted() == 0 && result.duplicates() == 0
                && result.rejected() > 0 ? 422 : 200);
        return Response.status(status).entity(result).build();
    }

    @POST
    @Path("/{datasetId}/seal")
    @RolesAllowed("ingest")
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Create a version from the staged images")
    public Response seal(@PathParam("datasetId") String datasetId) {
        datasets.view(datasetId);
        return uploads.seal(datasetId)
                .map(version -> Response.status(201).entity(version).build())
                .orElseGet(() -> Response.ok(Map.of("datasetId", datasetId, "message", "nothing staged")).build());
    }

    @GET
    @Operation(summary = "List datasets with their latest version")
    public List<DatasetView.Summary> list() {
        return datasets.list();
    }

    @GET
    @Path("/{datasetId}")
    @Operation(summary = "A dataset: labels, counts per label and split, versions")
    public DatasetView get(@PathParam("datasetId") String datasetId) {
        return datasets.view(datasetId);
    }

    @GET
    @Path("/{datasetId}/versions/{version}")
    @Operation(summary = "One immutable dataset version: manifest key, labels and counts")
    public DatasetVersion version(@PathParam("datasetId") String datasetId, @PathParam("version") int version) {
        return datasets.version(datasetId, version);
    }

    private static List<UploadRequest.IncomingFile> incoming(List<FileUpload> uploads) {
        return uploads == null ? List.of() : uploads.stream()
                .map(upload -> new UploadRequest.IncomingFile(upload.fileName(), upload.uploadedFile(), upload.size()))
                .toList();
    }
}
