package io.stagetune.common.events;

import io.stagetune.common.Topics;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** One committed upload: what it added to a dataset and which version it became part of. */
public record ImagesIngested(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        String datasetId,
        String uploadId,
        int version,
        int accepted,
        int duplicates,
        int rejected,
        Map<String, Integer> acceptedPerLabel,
        Map<Split, Integer> acceptedPerSplit) implements PipelineEvent {

    public ImagesIngested {
        Objects.requireNonNull(datasetId, "datasetId");
        acceptedPerLabel = acceptedPerLabel == null ? Map.of() : Map.copyOf(acceptedPerLabel);
        acceptedPerSplit = acceptedPerSplit == null ? Map.of() : Map.copyOf(acceptedPerSplit);
    }

    public static ImagesIngested of(String datasetId, String uploadId, int version, int accepted, int duplicates,
                                    int rejected, Map<String, Integer> perLabel, Map<Split, Integer> perSplit) {
        return new ImagesIngested(PipelineEvent.newId(), SCHEMA_VERSION, PipelineEvent.now(), datasetId, uploadId,
                version, accepted, duplicates, rejected, perLabel, perSplit);
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
