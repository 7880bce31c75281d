package io.stagetune.ingest.api;

import com.fasterxml.jackson.core.type.TypeReference;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PredictionMade.LabelProbability;
import io.stagetune.ingest.ReviewItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * One item of a model's review queue as the API shows it; {@code top} is the served version's top-k, the
 * pre-filled answer.
 */
public record ReviewItemView(String id, String predictionId, String model, long modelVersion, String datasetId,
                             String sha256, String reason, String predictedLabel, double probability,
                             List<LabelProbability> top, Instant predictedAt, Instant pickedAt, String state,
                             String label, String reviewer, Instant labelledAt, Long shadowVersion,
                             String shadowLabel) {

    private static final TypeReference<List<LabelProbability>> TOP = new TypeReference<>() {
    };

    public static ReviewItemView of(ReviewItem item) {
        return new ReviewItemView(item.itemId(), item.predictionId(), item.model(), item.modelVersion(),
                item.datasetId(), item.sha256(), item.reason().name().toLowerCase(Locale.ROOT),
                item.predictedLabel(), item.probability(), top(item.topK()), item.predictedAt(), item.pickedAt(),
                item.state().name().toLowerCase(Locale.ROOT), item.label(), item.reviewer(), item.labelledAt(),
                item.shadowVersion(), item.shadowLabel());
    }

    public static String topJson(List<LabelProbability> top) {
        try {
            return EventJson.mapper().writeValueAsString(top);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<LabelProbability> top(String json) {
        try {
            return EventJson.mapper().readValue(json, TOP);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable top-k of a review item: " + json, e);
        }
    }

    /** {@code GET /models/{model}/review}: the open count and the items asked for. */
    public record Queue(String model, long open, List<ReviewItemView> items) {
    }

    /**
     * The answer to a label: the item's label, where its image went ({@code image}: accepted, or duplicate when the
     * dataset already held those bytes with that label) and the dataset version its batch created, if this label
     * completed one.
     */
    public record Labelled(String id, String label, String state, String reviewer, String datasetId, String split,
                           String image, Integer version) {
    }
}
