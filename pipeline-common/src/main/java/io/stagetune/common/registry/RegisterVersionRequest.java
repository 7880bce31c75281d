package io.stagetune.common.registry;

import io.stagetune.common.events.Stage;

import java.util.List;

/**
 * Registers a checkpoint as the next version of a model; the checkpoint URI identifies it, so registering it again
 * returns the existing version.
 *
 * @param parentCheckpoint the checkpoint this one was trained from (lineage); or give {@code parentVersion}
 * @param parentVersion    a version of the same model this one was trained from
 */
public record RegisterVersionRequest(String runId, Stage stage, String checkpoint, String parentCheckpoint,
                                     Long parentVersion, String datasetId, Integer datasetVersion,
                                     String baseBackbone, List<String> labels, Metrics metrics) {
}
