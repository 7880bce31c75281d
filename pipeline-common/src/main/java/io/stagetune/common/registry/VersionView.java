package io.stagetune.common.registry;

import io.stagetune.common.events.Stage;

import java.time.Instant;
import java.util.List;

/**
 * One version with its metrics, the aliases that point at it now, and its lineage: the chain of parents, nearest
 * first, ending at the first checkpoint that is not registered (typically the base backbone's run).
 */
public record VersionView(String model, long version, String runId, Stage stage, String checkpoint,
                          String parentCheckpoint, String datasetId, Integer datasetVersion, String baseBackbone,
                          List<String> labels, Metrics metrics, List<String> aliases, Instant createdAt,
                          List<LineageEntry> lineage) {

    /** An ancestor; {@code model} and {@code version} are null for a checkpoint that was never registered. */
    public record LineageEntry(String model, Long version, Stage stage, String runId, String checkpoint) {
    }
}
