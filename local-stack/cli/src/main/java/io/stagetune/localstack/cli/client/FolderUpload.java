package io.stagetune.localstack.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;
import io.stagetune.localstack.cli.format.ProgressBar;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
import java.util.stream.Stream;

/**
 * Uploads a folder in ImageFolder layout ({@code label/x.png} or {@code train|val|test/label/x.png}) through the
 * ingest API in staged batches with a progress bar, names every rejected file with its reason, then seals the
 * batches into ONE dataset version.
 */
public final class FolderUpload {

    private static final Set<String> SPLITS = Set.of("train", "val", "test");

    /** What an upload did; {@code version} is 0 when nothing new was accepted (no version was created). */
    public record Result(int files, int accepted, int duplicates, int rejected, int version, int imageCount,
                  List<String> labels) {
    }

    /** The ingest API answered with an error that is not about single files. */
    public static final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final String url;
    private final String token;

    public FolderUpload(String url, String token) {
        this.url = url;
        this.token = token;
    }

    public Result upload(String dataset, Path folder, int batch, String progressLabel, PrintWriter out, PrintWriter err)
            throws IOException, InterruptedException {
        List<Path> files = images(folder);
        ProgressBar progress = new ProgressBar(out, progressLabel, files.size());
        int accepted = 0;
        int duplicates = 0;
        int rejected = 0;
        for (int start = 0; start < files.size(); start += batch) {
            Multipart form = new Multipart();
            for (Path file : files.subList(start, Math.min(files.size(), start + batch))) {
                Path relative = folder.relativize(file);
                String label = relative.getName(relative.getNameCount() - 2).toString();
                String split = relative.getNameCount() == 3 ? relative.getName(0).toString() : "";
                form.file("file", relative.toString(), contentType(file), Files.readAllBytes(file))
                        .field("label", label).field("split", split);
            }
            JsonNode result = post(dataset, form, false);
            accepted += result.path("accepted").asInt();
            duplicates += result.path("duplicates").asInt();
            rejected += result.path("rejected").asInt();
            reportRejected(result, err, true);
            progress.show(Math.min(files.size(), start + batch), accepted + " accepted, " + duplicates
                    + " duplicates, " + rejected + " rejected");
        }
        progress.finish();
        HttpResponse<String> sealed = http.send(HttpRequest.newBuilder(
                        URI.create(url + "/datasets/" + dataset + "/seal"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (sealed.statusCode() != 201) {
            return new Result(files.size(), accepted, duplicates, rejected, 0, 0, List.of());
        }
        JsonNode version = EventJson.mapper().readTree(sealed.body());
        List<String> labels = new ArrayList<>();
        version.path("labels").forEach(label -> labels.add(label.asText()));
        return new Result(files.size(), accepted, duplicates, rejected, version.path("version").asInt(),
                version.path("imageCount").asInt(), labels);
    }

    /** Sends an archive as it is (committed at once); returns the service's answer. */
    public JsonNode uploadArchive(String dataset, Path archive, PrintWriter err) throws IOException, InterruptedException {
        JsonNode result = post(dataset, new Multipart().file("archive", archive.getFileName().toString(),
                "application/octet-stream", Files.readAllBytes(archive)), true);
        reportRejected(result, err, false);
        return result;
    }

    private JsonNode post(String dataset, Multipart form, boolean commit) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(url + "/datasets/" + dataset + "/images?commit=" + commit))
                .header("Authorization", "Bearer " + token).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.build())).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = EventJson.mapper().readTree(response.body().isEmpty() ? "{}" : response.body());
        if (response.statusCode() >= 400 && response.statusCode() != 422) {
            throw new RefusedException("upload refused (" + response.statusCode() + "): "
                    + body.path("error").asText(response.body()));
        }
        return body;
    }

    private static void reportRejected(JsonNode result, PrintWriter err, boolean afterProgressBar) {
        for (JsonNode file : result.path("files")) {
            if ("rejected".equals(file.path("status").asText())) {
                err.println((afterProgressBar ? "\n" : "") + "rejected " + file.path("name").asText() + ": "
                        + file.path("reason").asText());
            }
        }
    }

    /** Image files two levels (label/x) or three levels (split/label/x) below the folder. */
    public static List<Path> images(Path folder) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String contentType(Path file) {
        return file.toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
    }
}
