package io.stagetune.registry.rest;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.stagetune.registry.console.Pages;
import io.stagetune.registry.service.ConsoleService;
import io.stagetune.registry.service.RegistryException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The web console: HTML pages rendered on the server from the registry's own data, open to read like the JSON API.
 * The models page is the registry's root; the others live under {@code /console} so they never shadow an API path.
 * Changes (alias moves, rollbacks) are made by the page's script through the JSON API, with the admin's token.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Tag(name = "console")
public class ConsoleResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(Pages.ModelsPage page);

        static native TemplateInstance model(Pages.ModelPage page);

        static native TemplateInstance version(Pages.VersionPage page);

        static native TemplateInstance decision(Pages.DecisionPage page);

        static native TemplateInstance runs(Pages.RunsPage page);

        static native TemplateInstance run(Pages.RunPage page);

        static native TemplateInstance datasets(Pages.DatasetsPage page);

        static native TemplateInstance notFound(Pages.NotFoundPage page);
    }

    private final ConsoleService console;

    public ConsoleResource(ConsoleService console) {
        this.console = console;
    }

    /**
     * A console page whose model, version, run or decision does not exist answers an HTML page naming it (the JSON
     * API keeps its JSON errors: this mapper applies to this resource only); other refusals keep the JSON shape.
     */
    @ServerExceptionMapper
    public Response missing(RegistryException e, UriInfo uri) {
        if (e.status() != 404) {
            return ErrorMappers.error(e.status(), e.getMessage());
        }
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.notFound(new Pages.NotFoundPage(e.getMessage(), uri.getPath())).render()).build();
    }

    @GET
    @Operation(summary = "Console: every model with its production version and accuracy trend (HTML)")
    public TemplateInstance models() {
        return Templates.models(console.models());
    }

    @GET
    @Path("/console/models/{model}")
    @Operation(summary = "Console: a model's versions, alias history and decisions; ?at= asks what production was")
    public TemplateInstance model(@PathParam("model") String model, @RestQuery String at) {
        return Templates.model(console.model(model, at));
    }

    @GET
    @Path("/console/models/{model}/versions/{version}")
    @Operation(summary = "Console: a version's metrics, per-class figures, confusion matrix and lineage")
    public TemplateInstance version(@PathParam("model") String model, @PathParam("version") long version) {
        return Templates.version(console.version(model, version));
    }

    @GET
    @Path("/console/models/{model}/decisions/{id}")
    @Operation(summary = "Console: a promotion decision, candidate beside production class by class")
    public TemplateInstance decision(@PathParam("model") String model, @PathParam("id") long id) {
        return Templates.decision(console.decision(model, id));
    }

    @GET
    @Path("/console/runs")
    @Operation(summary = "Console: every run, newest first")
    public TemplateInstance runs() {
        return Templates.runs(console.runs());
    }

    @GET
    @Path("/console/runs/{runId}")
    @Operation(summary = "Console: a run's stages and epoch curves, refreshed while it trains")
    public TemplateInstance run(@PathParam("runId") String runId) {
        return Templates.run(console.run(runId));
    }

    @GET
    @Path("/console/datasets")
    @Operation(summary = "Console: dataset versions behind runs and versions, with counts from ingest")
    public TemplateInstance datasets() {
        return Templates.datasets(console.datasets());
    }
}
