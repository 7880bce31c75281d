package io.stagetune.registry.api;

import io.stagetune.common.events.Stage;

import java.time.Instant;

/** One completed epoch of a run's stage, with the figures the trainer reported. */
public record EpochView(String runId, Stage stage, int epoch, int maxEpochs, double trainLoss, double trainAccuracy,
                        double valAccuracy, double imagesPerSecond, long durationMillis, boolean best,
                        Instant occurredAt) {
}
