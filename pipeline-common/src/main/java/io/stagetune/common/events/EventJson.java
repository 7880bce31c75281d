package io.stagetune.common.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The one JSON serde of the pipeline's events (and of the other JSON documents the services share). */
public final class EventJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private EventJson() {
    }

    /** A mapper configured like the event serde, for documents such as manifests and checkpoint.json. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    public static byte[] writeBytes(Object value) {
        return write(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads any pipeline event, dispatching on its {@code type}. */
    public static PipelineEvent read(String json) {
        return read(json, PipelineEvent.class);
    }

    /**
     * Reads an event of the expected type.
     *
     * @throws MalformedEventException when the text is not JSON, lacks {@code type}, is of another type, or
     *                                 violates the record's invariants
     */
    public static <T extends PipelineEvent> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("empty message, expected " + type.getSimpleName());
        }
        final PipelineEvent event;
        try {
            event = MAPPER.readValue(json, PipelineEvent.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedEventException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        if (!type.isInstance(event)) {
            throw new MalformedEventException("expected " + type.getSimpleName() + " but got "
                    + event.getClass().getSimpleName());
        }
        return type.cast(event);
    }

    public static <T> T readDocument(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
