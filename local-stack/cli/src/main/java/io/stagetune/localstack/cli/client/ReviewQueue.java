package io.stagetune.localstack.cli.client;

import java.time.Instant;
import java.util.List;

/**
 * The ingest-service's answer to {@code GET /models/{model}/review}: the model's review items (predictions picked
 * for a label because they were uncertain, or at random for the audit), oldest first, and how many are open.
 */
public record ReviewQueue(String model, int open, List<Item> items) {

    public ReviewQueue {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /**
     * One picked image. {@code id} is the prediction's id, with {@code .n} for the n-th image of a request of several.
     *
     * @param reason        {@code uncertain} or {@code audit}
     * @param state         {@code open} or {@code labelled}
     * @param shadowVersion the shadow version that answered beside production, null without a shadow
     */
    public record Item(String id, String predictionId, String model, Long modelVersion, String datasetId,
                       String sha256, String reason, String predictedLabel, Double probability,
                       List<LabelProbability> top, Instant pickedAt, String state, String label, String reviewer,
                       Instant labelledAt, Long shadowVersion, String shadowLabel) {

        public Item {
            top = top == null ? List.of() : List.copyOf(top);
        }

        public boolean open() {
            return "open".equals(state);
        }
    }

    public record LabelProbability(String label, double probability) {
    }
}
