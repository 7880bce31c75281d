package io.stagetune.common.events;

import io.stagetune.common.Topics;

import java.time.Instant;
import java.util.UUID;

/** Progress of one training epoch of a stage. */
public record EpochCompleted(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String model,
        Stage stage,
        int epoch,
        int maxEpochs,
        double trainLoss,
        double trainAccuracy,
        double valAccuracy,
        double imagesPerSecond,
        long durationMillis,
        boolean best) implements PipelineEvent {

    @Override
    public String key() {
        return runId;
    }

    @Override
    public String topic() {
        return Topics.TRAINING_PROGRESS;
    }
}
