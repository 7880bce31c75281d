package io.stagetune.localstack.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import io.stagetune.common.events.EventJson;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The model registry's REST API as the CLI uses it: JSON in and out with the shared records of
 * {@code io.stagetune.common.registry}, and every failure as a {@link RegistryError} whose message a user can act on.
 */
public final class RegistryClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String url;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /** @param token bearer token for changes; null for a client that only reads */
    public RegistryClient(String url, String token) {
        if (url == null || !url.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw new RegistryError(0, "--url '" + url + "' is not a registry URL such as http://localhost:8084");
        }
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
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
        return call(HttpRequest.newBuilder(uri(path)).GET(), EventJson.mapper().constructType(type));
    }

    public <T> T get(String path, Class<T> type) {
        return call(HttpRequest.newBuilder(uri(path)).GET(), EventJson.mapper().constructType(type));
    }

    public <T> T post(String path, Object body, Class<T> type) {
        return call(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(EventJson.write(body))),
                EventJson.mapper().constructType(type));
    }

    public <T> T put(String path, Object body, Class<T> type) {
        return call(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(EventJson.write(body))),
                EventJson.mapper().constructType(type));
    }

    private URI uri(String path) {
        return URI.create(url + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        request.timeout(TIMEOUT).header("Accept", "application/json").header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest built = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryError(0, "cannot reach the model registry at " + url + " ("
                    + HttpProblems.describe(e, CONNECT_TIMEOUT, TIMEOUT) + "). Start the local stack with "
                    + "`./pipeline up`, or point --url at a running registry.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryError(0, "interrupted while calling the model registry at " + url);
        }
        if (response.statusCode() >= 400) {
            throw refusal(built, response);
        }
        return response;
    }

    private RegistryError refusal(HttpRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        String call = request.method() + " " + request.uri();
        return switch (status) {
            case 401 -> new RegistryError(status, "the model registry refused the token (401) for " + call
                    + ": pass the admin token with --token or REGISTRY_ADMIN_TOKEN, or --data-dir of the stack whose "
                    + "secrets.properties holds it");
            case 403 -> new RegistryError(status, "the token may not do this (403) for " + call
                    + ": moving aliases needs the admin (or evaluator) token");
            default -> new RegistryError(status, "the model registry answered " + status + " for " + call + ": "
                    + HttpProblems.errorMessage(response.body()));
        };
    }

    private <T> T call(HttpRequest.Builder request, JavaType type) {
        HttpResponse<String> response = send(request);
        try {
            return EventJson.mapper().readValue(response.body(), type);
        } catch (IOException e) {
            throw new RegistryError(response.statusCode(), "the model registry at " + url + " answered "
                    + response.request().uri() + " with something that is not the expected JSON: " + e.getMessage());
        }
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
