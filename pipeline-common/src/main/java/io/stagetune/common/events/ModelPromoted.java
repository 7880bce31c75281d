package io.stagetune.common.events;

import io.stagetune.common.Topics;

import java.time.Instant;
import java.util.UUID;

/** A version became the model's {@code production} alias. */
public record ModelPromoted(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        String model,
        long version,
        Long previousVersion,
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
