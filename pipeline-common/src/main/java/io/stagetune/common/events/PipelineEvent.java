package io.stagetune.common.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;
import java.util.UUID;

/**
 * Every message on the pipeline's topics. The JSON carries {@code type} (the record's simple name),
 * {@code eventId}, {@code schemaVersion} and {@code occurredAt}, plus the ids the event concerns.
 * Consumers ignore fields they do not know, so producers may add fields without a new schema version.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ImagesIngested.class, name = "ImagesIngested"),
        @JsonSubTypes.Type(value = DatasetVersionCreated.class, name = "DatasetVersionCreated"),
        @JsonSubTypes.Type(value = StageCommand.class, name = "StageCommand"),
        @JsonSubTypes.Type(value = EpochCompleted.class, name = "EpochCompleted"),
        @JsonSubTypes.Type(value = CheckpointPublished.class, name = "CheckpointPublished"),
        @JsonSubTypes.Type(value = EvaluationCompleted.class, name = "EvaluationCompleted"),
        @JsonSubTypes.Type(value = ModelPromoted.class, name = "ModelPromoted"),
        @JsonSubTypes.Type(value = AliasMoved.class, name = "AliasMoved"),
        @JsonSubTypes.Type(value = PredictionMade.class, name = "PredictionMade")
})
public sealed interface PipelineEvent
        permits ImagesIngested, DatasetVersionCreated, StageCommand, EpochCompleted, CheckpointPublished,
        EvaluationCompleted, ModelPromoted, AliasMoved, PredictionMade {

    int SCHEMA_VERSION = 1;

    UUID eventId();

    int schemaVersion();

    Instant occurredAt();

    /** The Kafka record key: dataset id, run id or model name, so that order holds where it matters. */
    @JsonIgnore
    String key();

    /** The topic this event is published on. */
    @JsonIgnore
    String topic();

    static UUID newId() {
        return UUID.randomUUID();
    }

    static Instant now() {
        return Instant.now();
    }
}
