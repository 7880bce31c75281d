package io.stagetune.localstack.cli.client;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A JSON exchange with one service, as the CLI's clients share it: the timeouts and the bearer token, a failure put
 * into words a user can act on (why the service was not reached, the service's own message for a refusal, what a 401
 * or 403 asks for), and the answer read as JSON. Failures are the calling client's own exception type.
 */
final class JsonExchange {

    /** How messages name a service and advise on its failures. */
    record Service(String name, String unreachableAdvice, String unauthorizedAdvice, String forbiddenAdvice) {
    }

    /** Makes the calling client's exception: {@code status} is the HTTP status, 0 when the service was not reached. */
    interface Failure {
        RuntimeException of(int status, String message);
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final String url;
    private final String token;
    private final Duration timeout;
    private final Service service;
    private final Failure failure;

    /**
     * @param example a URL of the service for the message when {@code url} is not one
     * @param token   bearer token; null or blank for none
     */
    JsonExchange(String url, String example, String token, Duration timeout, Service service, Failure failure) {
        if (url == null || !url.matches("https?://[^/\\s]+(/\\S*)?")) {
            throw failure.of(0, "--url '" + url + "' is not " + example);
        }
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.token = token;
        this.timeout = timeout;
        this.service = service;
        this.failure = failure;
    }

    URI uri(String path) {
        return URI.create(url + path);
    }

    /** Sends the request with the timeout, JSON accepted and the token; a status of 400 or more is a failure. */
    HttpResponse<String> send(HttpRequest.Builder request) {
        request.timeout(timeout).header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest built = request.build();
        HttpResponse<String> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure.of(0, "cannot reach the " + service.name() + " at " + url + " (" + describe(e) + "). "
                    + service.unreachableAdvice());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.of(0, "interrupted while calling the " + service.name() + " at " + url);
        }
        if (response.statusCode() >= 400) {
            throw refusal(built, response);
        }
        return response;
    }

    /** The answer's body as {@code type}. */
    <T> T read(HttpResponse<String> response, JavaType type) {
        try {
            return EventJson.mapper().readValue(response.body(), type);
        } catch (IOException e) {
            throw failure.of(response.statusCode(), "the " + service.name() + " at " + url + " answered "
                    + response.request().uri() + " with something that is not the expected JSON: " + e.getMessage());
        }
    }

    <T> T read(HttpResponse<String> response, Class<T> type) {
        return read(response, EventJson.mapper().constructType(type));
    }

    private RuntimeException refusal(HttpRequest request, HttpResponse<String> response) {
        int status = response.statusCode();
        String call = request.method() + " " + request.uri();
        return switch (status) {
            case 401 -> failure.of(status, "the " + service.name() + " refused the token (401) for " + call + ": "
                    + service.unauthorizedAdvice());
            case 403 -> failure.of(status, "the token may not do this (403) for " + call + ": "
                    + service.forbiddenAdvice());
            default -> failure.of(status, "the " + service.name() + " answered " + status + " for " + call + ": "
                    + errorMessage(response.body()));
        };
    }

    /** A service's {@code {"status": .., "error": ".."}} message, else the body as it is. */
    private static String errorMessage(String body) {
        try {
            JsonNode error = EventJson.mapper().readTree(body).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
        } catch (IOException notJson) {
            // shown as it is
        }
        return body == null || body.isBlank() ? "(no message)" : body;
    }

    /** Why the service was not reached, in words. */
    private String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toSeconds() + " s";
        }
        if (e instanceof ConnectException) {
            return "connection refused: nothing listens there";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
