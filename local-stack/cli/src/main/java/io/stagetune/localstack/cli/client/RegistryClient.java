package io.stagetune.localstack.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.stagetune.common.events.EventJson;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The model registry's REST API as the CLI uses it: JSON in and out with the shared records of
 * {@code io.stagetune.common.registry}, and every failure as a {@link RegistryError} whose message a user can act on.
 */
public final class RegistryClient {

    private static final JsonExchange.Service REGISTRY = new JsonExchange.Service("model registry",
            "Start the local stack with `./pipeline up`, or point --url at a running registry.",
            "pass the admin token with --token or REGISTRY_ADMIN_TOKEN, or --data-dir of the stack whose "
                    + "secrets.properties holds it",
            "moving aliases needs the admin (or evaluator) token");

    private final JsonExchange exchange;

    /** @param token bearer token for changes; null for a client that only reads */
    public RegistryClient(String url, String token) {
        this.exchange = new JsonExchange(url, "a registry URL such as http://localhost:8084", token,
                Duration.ofSeconds(10), REGISTRY, RegistryError::new);
    }

    /** A path below the registry's root from segments, each URL-encoded: {@code path("models", m, "versions")}. */
    public static String path(Object... segments) {
        StringBuilder path = new StringBuilder();
        for (Object segment : segments) {
            path.append('/').append(URLEncoder.encode(String.valueOf(segment), StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        return path.toString();
    }

    public <T> T get(String path, TypeReference<T> type) {
        return call(HttpRequest.newBuilder(exchange.uri(path)).GET(), EventJson.mapper().constructType(type));
    }

    public <T> T get(String path, Class<T> type) {
        return call(HttpRequest.newBuilder(exchange.uri(path)).GET(), EventJson.mapper().constructType(type));
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return call(HttpRequest.newBuilder(exchange.uri(path))
                        .POST(HttpRequest.BodyPublishers.ofString(EventJson.write(body))),
                EventJson.mapper().constructType(type));
    }

    public <T> T put(String path, Object body, Class<T> type) {
        return call(HttpRequest.newBuilder(exchange.uri(path))
                        .PUT(HttpRequest.BodyPublishers.ofString(EventJson.write(body))),
                EventJson.mapper().constructType(type));
    }

    private <T> T call(HttpRequest.Builder request, JavaType type) {
        return exchange.read(exchange.send(request.header("Content-Type", "application/json")), type);
    }

    /** A failed call: {@code status} is the HTTP status, 0 when the registry was not reached. */
    public static final class RegistryError extends RuntimeException {

        private final int status;

        public RegistryError(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
