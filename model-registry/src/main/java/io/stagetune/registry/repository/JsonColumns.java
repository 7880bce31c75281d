package io.stagetune.registry.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.PromotionStatistics;

import java.util.List;
import java.util.Map;

/** JSON documents kept in text columns (portable across H2 and PostgreSQL), through the one event serde. */
public final class JsonColumns {

    private JsonColumns() {
    }

    public static String write(Object value) {
        return value == null ? null : EventJson.write(value);
    }

    public static List<String> stringList(String json) {
        return read(json, new TypeReference<List<String>>() { }, List.of());
    }

    public static Map<String, String> stringMap(String json) {
        return read(json, new TypeReference<Map<String, String>>() { }, Map.of());
    }

    public static List<Metrics.ClassMetrics> classMetrics(String json) {
        return read(json, new TypeReference<List<Metrics.ClassMetrics>>() { }, List.of());
    }

    public static List<List<Long>> matrix(String json) {
        return read(json, new TypeReference<List<List<Long>>>() { }, List.of());
    }

    public static Metrics metrics(String json) {
        return read(json, new TypeReference<Metrics>() { }, null);
    }

    public static PromotionStatistics promotionStatistics(String json) {
        return read(json, new TypeReference<PromotionStatistics>() { }, null);
    }

    private static <T> T read(String json, TypeReference<T> type, T empty) {
        if (json == null || json.isBlank()) {
            return empty;
        }
        try {
            return EventJson.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not a " + type.getType() + ": " + e.getMessage(), e);
        }
    }
}
