package io.stagetune.localstack.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
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

    private static final JsonExchange.Service INGEST = new JsonExchange.Service("ingest-service",
            "Start the local stack with `./pipeline up`, or give the URL of a running ingest-service.",
            "pass the reviewer token with --token or INGEST_REVIEWER_TOKEN, or --data-dir of the stack whose "
                    + "secrets.properties holds it",
            "labels need the reviewer token (INGEST_REVIEWER_TOKEN)");

    private final JsonExchange exchange;

    /** @param token bearer token with role {@code reviewer}; null for a client that only reads */
    public IngestClient(String url, String token) {
        this.exchange = new JsonExchange(url, "an ingest-service URL such as http://localhost:8081", token,
                Duration.ofSeconds(30), INGEST, IngestError::new);
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
        return read(get(RegistryClient.path("models", model, "review") + query(query)), ReviewQueue.class);
    }

    /** Answers one review item with a label. */
    public LabelResult label(String model, String id, String label) {
        String body = EventJson.mapper().createObjectNode().put("label", label).toString();
        return read(post(RegistryClient.path("models", model, "review", id), body), LabelResult.class);
    }

    /** Seals the model's staged labels into a dataset version: its JSON, or a {@code message} when none was staged. */
    public JsonNode seal(String model) {
        return read(post(RegistryClient.path("models", model, "review", "seal"), "{}"), JsonNode.class);
    }

    /** The live figures of a version (null: the newest with audit labels) over the newest {@code window} labels. */
    public LiveFigures live(String model, Long version, Integer window) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("version", version);
        query.put("window", window);
        return read(get(RegistryClient.path("models", model, "live") + query(query)), LiveFigures.class);
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
        return HttpRequest.newBuilder(exchange.uri(path)).GET();
    }

    private HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(exchange.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private <T> T read(HttpRequest.Builder request, Class<T> type) {
        return exchange.read(exchange.send(request), type);
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
