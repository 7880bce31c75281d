package io.stagetune.registry.api;

import io.stagetune.common.events.Stage;

/** Filters of a version search; null means any. {@code alias} keeps the versions an alias points at now. */
public record VersionQuery(String model, String runId, Stage stage, String datasetId, Integer datasetVersion,
                           String alias, String checkpoint) {
}
