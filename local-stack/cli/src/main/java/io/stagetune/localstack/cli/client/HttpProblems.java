package io.stagetune.localstack.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagetune.common.events.EventJson;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** How the CLI's service clients put a failed call into words. */
final class HttpProblems {

    private HttpProblems() {
    }

    /** A service's {@code {"status": .., "error": ".."}} message, else the body as it is. */
    static String errorMessage(String body) {
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

    /** Why a service was not reached, in words. */
    static String describe(IOException e, Duration connectTimeout, Duration timeout) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within " + connectTimeout.toSeconds() + " s";
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
