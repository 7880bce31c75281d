package io.stagetune.localstack.cli;

import io.stagetune.localstack.cli.client.FolderUpload;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Uploads a folder in ImageFolder layout ({@code label/x.png} or {@code train|val|test/label/x.png}) in batches,
 * staged, then seals them into ONE dataset version; or sends an archive as it is.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Uploads labelled images (a folder label/x.png or split/label/x.png, or a zip/tar.gz) "
                + "and creates one dataset version.")
final class IngestCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Folder or archive to upload.")
    Path source;

    @Option(names = "--dataset", required = true, description = "Dataset id.")
    String dataset;

    @Option(names = "--url", defaultValue = "http://localhost:8081",
            description = "Ingest service URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", defaultValue = "${env:INGEST_TOKEN}",
            description = "Bearer token (default: $INGEST_TOKEN, else the local stack's).")
    String token;

    @Option(names = "--batch", defaultValue = "500", description = "Images per request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    StackOptions stack;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (token == null || token.isBlank()) {
            token = stack.secrets().ingestToken();
        }
        if (!Files.exists(source)) {
            err.println("no such file or folder: " + source);
            return 2;
        }
        FolderUpload upload = new FolderUpload(url, token);
        try {
            if (Files.isRegularFile(source)) {
                JsonNode result = upload.uploadArchive(dataset, source, err);
                out.printf("%d accepted, %d duplicates, %d rejected%s%n", result.path("accepted").asInt(),
                        result.path("duplicates").asInt(), result.path("rejected").asInt(),
                        result.path("version").isNumber() ? ", version " + result.path("version").asInt() : "");
                return result.path("accepted").asInt() > 0 || result.path("duplicates").asInt() > 0 ? 0 : 1;
            }
            FolderUpload.Result result = upload.upload(dataset, source, batch, "uploading", out, err);
            if (result.version() > 0) {
                out.printf("dataset %s version %d: %d images, labels %s%n", dataset, result.version(),
                        result.imageCount(), result.labels());
            } else {
                out.println("no new version: nothing new was accepted");
            }
            return result.rejected() > 0 && result.accepted() == 0 ? 1 : 0;
        } catch (FolderUpload.RefusedException e) {
            throw new CommandLine.ExecutionException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
