package io.stagetune.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.stagetune.common.dataset.ManifestEntry.Provenance;
import io.stagetune.common.events.EventJson;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Keeps a label's provenance as one JSON column: it is read and written whole, never queried by field. */
@Converter
public class ProvenanceColumn implements AttributeConverter<Provenance, String> {

    @Override
    public String convertToDatabaseColumn(Provenance provenance) {
        if (provenance == null) {
            return null;
        }
        try {
            return EventJson.mapper().writeValueAsString(provenance);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write provenance " + provenance, e);
        }
    }

    @Override
    public Provenance convertToEntityAttribute(String json) {
        if (json == null) {
            return null;
        }
        try {
            return EventJson.mapper().readValue(json, Provenance.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable provenance " + json, e);
        }
    }
}
