package io.stagetune.registry.api;

import io.stagetune.common.events.Stage;

import java.time.Instant;
import java.util.List;

/** A version in a list: identity, provenance, headline metrics and current aliases. */
public record VersionSummary(String model, long version, String runId, Stage stage, String checkpoint,
                             String parentCheckpoint, String datasetId, Integer datasetVersion, Double accuracy,
                             Double macroF1, List<String> aliases, Instant createdAt) {
}
