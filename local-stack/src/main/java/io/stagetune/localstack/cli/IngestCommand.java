package io.stagetune.localstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Uploads a folder in ImageFolder layout ({@code label/x.png} or {@code train|val|test/label/x.png}) in batches,
 * staged, then seals them into ONE dataset version; or sends an archive as it is.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Uploads labelled images (a folder label/x.png or split/label/x.png, or a zip/tar.gz) "
                + "and creates one dataset version.")
final class IngestCommand implements Callable<Integer> {

    private static final Set<String> SPLITS = Set.of("train", "val", "test");

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

    private final HttpClient http = HttpClient.newHttpClient();

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
        if (Files.isRegularFile(source)) {
            JsonNode result = post(new Multipart().file("archive", source.getFileName().toString(),
                    "application/octet-stream", Files.readAllBytes(source)), true);
            report(result, out, err);
            return result.path("accepted").asInt() > 0 || result.path("duplicates").asInt() > 0 ? 0 : 1;
        }
        List<Path> files = images(source);
        ProgressBar progress = new ProgressBar(out, "uploading", files.size());
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        for (int start = 0; start < files.size(); start += batch) {
            Multipart form = new Multipart();
            for (Path file : files.subList(start, Math.min(files.size(), start + batch))) {
                Path relative = source.relativize(file);
                String label = relative.getName(relative.getNameCount() - 2).toString();
                String split = relative.getNameCount() == 3 ? relative.getName(0).toString() : "";
                form.file("file", relative.toString(), contentType(file), Files.readAllBytes(file))
                        .field("label", label).field("split", split);
            }
            JsonNode result = post(form, false);
            accepted += result.path("accepted").asInt();
            duplicates += result.path("duplicates").asInt();
            rejected += result.path("rejected").asInt();
            for (JsonNode file : result.path("files")) {
                if ("rejected".equals(file.path("status").asText())) {
                    err.println("\nrejected " + file.path("name").asText() + ": " + file.path("reason").asText());
                }
            }
            progress.show(Math.min(files.size(), start + batch), accepted + " accepted, " + duplicates
                    + " duplicates, " + rejected + " rejected");
        }
        progress.finish();
        HttpResponse<String> sealed = http.send(HttpRequest.newBuilder(
                        URI.create(url + "/datasets/" + dataset + "/seal"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode version = EventJson.mapper().readTree(sealed.body());
        if (sealed.statusCode() == 201) {
            out.printf("dataset %s version %d: %d images, labels %s%n", dataset, version.path("version").asInt(),
                    version.path("imageCount").asInt(), version.path("labels"));
        } else {
            out.println("no new version: nothing new was accepted");
        }
        return rejected > 0 && accepted == 0 ? 1 : 0;
    }

    private JsonNode post(Multipart form, boolean commit) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(url + "/datasets/" + dataset + "/images?commit=" + commit))
                .header("Authorization", "Bearer " + token).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = EventJson.mapper().readTree(response.body().isEmpty() ? "{}" : response.body());
        if (response.statusCode() >= 400 && response.statusCode() != 422) {
            throw new CommandLine.ExecutionException(spec.commandLine(), "upload refused (" + response.statusCode()
                    + "): " + body.path("error").asText(response.body()));
        }
        return body;
    }

    private static void report(JsonNode result, PrintWriter out, PrintWriter err) {
        for (JsonNode file : result.path("files")) {
            if ("rejected".equals(file.path("status").asText())) {
                err.println("rejected " + file.path("name").asText() + ": " + file.path("reason").asText());
            }
        }
        out.printf("%d accepted, %d duplicates, %d rejected%s%n", result.path("accepted").asInt(),
                result.path("duplicates").asInt(), result.path("rejected").asInt(),
                result.path("version").isNumber() ? ", version " + result.path("version").asInt() : "");
    }

    /** Image files two levels (label/x) or three levels (split/label/x) below the folder. */
    private static List<Path> images(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile).sorted().forEach(file -> {
                Path relative = folder.relativize(file);
                String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
                boolean image = name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
                boolean layout = relative.getNameCount() == 2 || (relative.getNameCount() == 3
                        && SPLITS.contains(relative.getName(0).toString()));
                if (image && layout && !name.startsWith(".")) {
                    files.add(file);
                }
            });
        }
        return files;
    }

    private static String contentType(Path file) {
        return file.toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
    }
}
