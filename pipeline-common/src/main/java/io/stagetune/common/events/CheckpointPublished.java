package io.stagetune.common.events;

import io.stagetune.common.Topics;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A stage's best checkpoint is durable ({@code checkpoint.json} written last).
 *
 * @param lastStage whether this stage is the last of the run's plan, so the evaluator knows when to decide
 */
public record CheckpointPublished(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String model,
        String datasetId,
        int datasetVersion,
        List<Stage> plan,
        int stageIndex,
        Stage stage,
        boolean lastStage,
        String checkpoint,
        String parentCheckpoint,
        String baseBackbone,
        List<String> labels,
        int bestEpoch,
        double valAccuracy) implements PipelineEvent {

    public CheckpointPublished {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(checkpoint, "checkpoint");
        plan = plan == null ? List.of() : List.copyOf(plan);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    @Override
    public String key() {
        return runId;
    }

    @Override
    public String topic() {
        return Topics.TRAINING_CHECKPOINTS;
    }
}
