package io.stagetune.registry.client;

import io.stagetune.common.dataset.DatasetVersion;
import io.stagetune.common.events.EventJson;
import io.stagetune.registry.api.LiveFigures;
import io.stagetune.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads dataset versions (counts per label and split) from the ingest-service's open REST API, for the console.
 * Optional by design: when ingest is not configured or does not answer in time, the console says so and shows the
 * rest of the page.
 */
@ApplicationScoped
public class IngestClient {

    /** Versions by "datasetId/version"; {@code unreachable} names why none could be read (null when all were). */
    public record Versions(Map<String, DatasetVersion> found, String unreachable) {
    }

    /** A version's live figures, or why there are none ({@code unavailable}: no audit labels, ingest unreachable). */
    public record Live(LiveFigures figures, String unavailable) {
    }

    private final RegistryConfig.Console config;
    private final HttpClient http;

    public IngestClient(RegistryConfig config) {
        this.config = config.console();
        this.http = HttpClient.newBuilder().connectTimeout(this.config.ingestTimeout()).build();
    }

    public Optional<String> url() {
        return config.ingestUrl().map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /** Asks ingest for every version at once and waits at most the configured timeout for all of them. */
    public Versions versions(Collection<Map.Entry<String, Integer>> wanted) {
        Optional<String> base = url();
        if (base.isEmpty()) {
            return new Versions(Map.of(), "ingest URL not configured (REGISTRY_INGEST_URL)");
        }
        Map<String, CompletableFuture<HttpResponse<String>>> calls = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> version : wanted) {
            URI uri = URI.create(base.get() + "/datasets/" + URLEncoder.encode(version.getKey(), StandardCharsets.UTF_8)
                    + "/versions/" + version.getValue());
            calls.put(version.getKey() + "/" + version.getValue(), http.sendAsync(HttpRequest.newBuilder(uri)
                    .timeout(config.ingestTimeout()).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        Map<String, DatasetVersion> found = new LinkedHashMap<>();
        String unreachable = null;
        for (var call : calls.entrySet()) {
            try {
                HttpResponse<String> response = call.getValue().get();
                if (response.statusCode() == 200) {
                    found.put(call.getKey(), EventJson.mapper().readValue(response.body(), DatasetVersion.class));
                }
            } catch (IOException e) {
                unreachable = "ingest at " + base.get() + " answered with an unreadable version: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Versions(found, "interrupted");
            } catch (Exception e) {
                unreachable = "ingest unreachable at " + base.get() + " (" + e.getCause() + ")";
            }
        }
        return new Versions(found, unreachable);
    }

    /** The version's figures on live traffic (audit labels of production predictions), waiting at most the timeout. */
    public Live live(String model, long version) {
        Optional<String> base = url();
        if (base.isEmpty()) {
            return new Live(null, "ingest URL not configured (REGISTRY_INGEST_URL)");
        }
        URI uri = URI.create(base.get() + "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                + "/live?version=" + version);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(config.ingestTimeout())
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return new Live(null, "no audit labels of version " + version + " yet");
            }
            if (response.statusCode() != 200) {
                return new Live(null, "ingest at " + base.get() + " answered " + response.statusCode());
            }
            return new Live(EventJson.mapper().readValue(response.body(), LiveFigures.class), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Live(null, "interrupted");
        } catch (IOException e) {
            return new Live(null, "ingest unreachable at " + base.get() + " (" + e + ")");
        }
    }
}
