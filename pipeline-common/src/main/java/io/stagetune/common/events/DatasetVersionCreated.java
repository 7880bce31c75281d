package io.stagetune.common.events;

import io.stagetune.common.Topics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An immutable dataset version was written (manifest and counts are durable in the object store).
 *
 * @param counts       images per label and split in the whole version
 * @param newImages    images per split that this version added over {@code previousVersion}
 * @param newLabels    labels that appear for the first time in this version
 */
public record DatasetVersionCreated(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        String datasetId,
        int version,
        Integer previousVersion,
        String manifestKey,
        List<String> labels,
        Map<String, Map<Split, Integer>> counts,
        int imageCount,
        Map<Split, Integer> newImages,
        List<String> newLabels) implements PipelineEvent {

    public DatasetVersionCreated {
        Objects.requireNonNull(datasetId, "datasetId");
        Objects.requireNonNull(manifestKey, "manifestKey");
        labels = labels == null ? List.of() : List.copyOf(labels);
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        newImages = newImages == null ? Map.of() : Map.copyOf(newImages);
        newLabels = newLabels == null ? List.of() : List.copyOf(newLabels);
    }

    /** New training images this version added: what the retrain trigger looks at. */
    public int newTrainImages() {
        return newImages.getOrDefault(Split.TRAIN, 0);
    }

    @Override
    public String key() {
        return datasetId;
    }

    @Override
    public String topic() {
        return Topics.DATASET_EVENTS;
    }
}
