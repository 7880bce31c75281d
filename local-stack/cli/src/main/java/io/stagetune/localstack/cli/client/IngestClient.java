package io.stagetune.localstack.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The ingest-service's review API as the CLI uses it: the review queue, a label for one item, sealing the staged
 * labels, and the live figures. Every failure is an {@link IngestError} that carries the service's own message, so a
 * refused label says which item and why.
 */
public final class IngestClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /** @param token bearer token with role {@code reviewer}; null for a client that only reads */
    public IngestClient(String url, String token) {
        if (url == null || !url.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw new IngestError(0, "--url '" + url + "' is not an ingest-service URL such as http://localhost:8081");
        }
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
    }

    /**
     * The review queue, oldest first.
     *
     * @param label  only items predicted as this label; null for all
     * @param reason {@code uncertain} or {@code audit}; null for both
     * @param state  {@code open}, {@code labelled} or {@code all}
     */
    public ReviewQueue review(String model, String label, String reason, String state, int limit) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("label", label);
        query.put("reason", reason);
        query.put("state", state);
        query.put("limit", limit);
        return read(send(get(RegistryClient.path("models", model, "review") + query(query))), ReviewQueue.class);
    }

    /** Answers one review item with a label. */
    public LabelResult label(String model, String id, String label) {
        String body = EventJson.mapper().createObjectNode().put("label", label).toString();
        return read(send(post(RegistryClient.path("models", model, "review", id), body)), LabelResult.class);
    }

    /** Seals the model's staged labels into a dataset version: its JSON, or a {@code message} when none was staged. */
    public JsonNode seal(String model) {
        return read(send(post(RegistryClient.path("models", model, "review", "seal"), "{}")), JsonNode.class);
    }

    /** The live figures of a version (null: the newest with audit labels) over the newest {@code window} labels. */
    public LiveFigures live(String model, Long version, Integer window) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("version", version);
        query.put("window", window);
        return read(send(get(RegistryClient.path("models", model, "live") + query(query))), LiveFigures.class);
    }

    private static String query(Map<String, Object> parameters) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        parameters.forEach((name, value) -> {
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).GET();
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        request.timeout(TIMEOUT).header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest built = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IngestError(0, "cannot reach the ingest-service at " + url + " ("
                    + HttpProblems.describe(e, CONNECT_TIMEOUT, TIMEOUT) + "). Start the local stack with "
                    + "`./pipeline up`, or give the URL of a running ingest-service.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestError(0, "interrupted while calling the ingest-service at " + url);
        }
        if (response.statusCode() >= 400) {
            throw refusal(built, response);
        }
        return response;
    }

    private static IngestError refusal(HttpRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        String call = request.method() + " " + request.uri();
        String message = HttpProblems.errorMessage(response.body());
        return switch (status) {
            case 401 -> new IngestError(status, "the ingest-service refused the token (401) for " + call + ": pass "
                    + "the reviewer token with --token or INGEST_REVIEWER_TOKEN, or --data-dir of the stack whose "
                    + "secrets.properties holds it");
            case 403 -> new IngestError(status, "the token may not do this (403) for " + call + ": labels need the "
                    + "reviewer token (INGEST_REVIEWER_TOKEN)");
            default -> new IngestError(status, "the ingest-service answered " + status + " for " + call + ": "
                    + message);
        };
    }

    private <T> T read(HttpResponse<String> response, Class<T> type) {
        try {
            return EventJson.mapper().readValue(response.body(), type);
        } catch (IOException e) {
            throw new IngestError(response.statusCode(), "the ingest-service at " + url + " answered "
                    + response.request().uri() + " with something that is not the expected JSON: " + e.getMessage());
        }
    }

    /** A failed call: {@code status} is the HTTP status, 0 when the ingest-service was not reached. */
    public static final class IngestError extends RuntimeException {

        private final int status;

        public IngestError(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
