package io.stagetune.localstack.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The serving-service's prediction API as the CLI uses it. */
public final class ServingClient {

    private final String url;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** @param token bearer token with role {@code predict}; null where predictions are open */
    public ServingClient(String url, String token) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
    }

    /** The answer's JSON for the files, sent as {@code images} parts; failures as {@link ServingError}. */
    public JsonNode predict(String model, List<Path> files, int k) throws IOException, InterruptedException {
        Multipart body = new Multipart();
        for (Path file : files) {
            body.file("images", file.getFileName().toString(), "application/octet-stream", Files.readAllBytes(file));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + RegistryClient.path("models", model,
                        "predict") + "?k=" + k))
                .timeout(Duration.ofMinutes(1)).header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.build()));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ServingError("the serving-service does not answer at " + url + " (is the stack up?)");
        }
        JsonNode answer = response.body().isBlank() ? null : EventJson.mapper().readTree(response.body());
        if (response.statusCode() != 200) {
            String reason = answer != null && answer.has("error") ? answer.get("error").asText() : response.body();
            throw new ServingError(response.statusCode() + ": " + reason);
        }
        return answer;
    }

    /** A refused or failed prediction, with the service's reason. */
    public static final class ServingError extends RuntimeException {
        public ServingError(String message) {
            super(message);
        }
    }
}
