package io.stagetune.common.registry;

import io.stagetune.common.checkpoint.WarmStart;
import io.stagetune.common.events.Stage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

public record RunView(String runId, String model, String datasetId, int datasetVersion, List<Stage> plan,
                      RunStatus status, Map<String, String> stages, String baseBackbone, String trigger,
                      String message, Map<String, String> hyperparameters, Integer trainImages, List<String> labels,
                      Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt,
                      WarmStart warmStart) {

    /** A run that starts from its base backbone. */
    public RunView(String runId, String model, String datasetId, int datasetVersion, List<Stage> plan,
                   RunStatus status, Map<String, String> stages, String baseBackbone, String trigger,
                   String message, Map<String, String> hyperparameters, Integer trainImages, List<String> labels,
                   Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt) {
        this(runId, model, datasetId, datasetVersion, plan, status, stages, baseBackbone, trigger, message,
                hyperparameters, trainImages, labels, createdAt, updatedAt, startedAt, finishedAt, null);
    }
}
