package io.stagetune.common.events;

import io.stagetune.common.Topics;

import java.time.Instant;
import java.util.UUID;

/** Any alias of a model moved (or was created, when {@code fromVersion} is null). */
public record AliasMoved(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        String model,
        String alias,
        Long fromVersion,
        Long toVersion,
        String actor,
        String reason) implements PipelineEvent {

    @Override
    public String key() {
        return model;
    }

    @Override
    public String topic() {
        return Topics.MODEL_EVENTS;
    }
}
