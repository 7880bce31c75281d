package io.stagetune.registry.api;

import io.stagetune.common.events.Stage;

import java.util.List;

/** Creates a run; {@code plan} defaults to HEAD, LAYER4, FULL. */
public record RunRequest(String runId, String model, String datasetId, Integer datasetVersion, List<Stage> plan,
                         String baseBackbone, String trigger) {
}
