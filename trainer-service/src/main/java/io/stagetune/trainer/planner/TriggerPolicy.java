package io.stagetune.trainer.planner;

import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.Split;
import io.stagetune.trainer.run.Run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a dataset version is worth a run for a model, compared with the model's last run on that dataset:
 * enough new training images, or a label the model has not seen. A version at or below the last run's is never
 * trained again.
 */
public class TriggerPolicy {

    private final int minNewImages;
    private final boolean onNewLabel;

    public TriggerPolicy(int minNewImages, boolean onNewLabel) {
        this.minNewImages = minNewImages;
        this.onNewLabel = onNewLabel;
    }

    /** The reason to start a run, or empty. */
    public Optional<String> decide(DatasetVersionCreated version, Optional<Run> lastRun) {
        if (lastRun.isPresent() && lastRun.get().datasetVersion() >= version.version()) {
            return Optional.empty();
        }
        int trainImages = trainImages(version);
        int newImages = trainImages - lastRun.map(Run::trainImages).orElse(0);
        List<String> newLabels = new ArrayList<>(version.labels());
        lastRun.ifPresent(run -> newLabels.removeAll(run.labels()));
        if (newImages >= minNewImages) {
            return Optional.of(newImages + " new training images (threshold " + minNewImages + ")");
        }
        if (onNewLabel && lastRun.isPresent() && !newLabels.isEmpty()) {
            return Optional.of("new labels " + newLabels);
        }
        return Optional.empty();
    }

    public static int trainImages(DatasetVersionCreated version) {
        return version.counts().values().stream()
                .mapToInt((Map<Split, Integer> perSplit) -> perSplit.getOrDefault(Split.TRAIN, 0)).sum();
    }
}
