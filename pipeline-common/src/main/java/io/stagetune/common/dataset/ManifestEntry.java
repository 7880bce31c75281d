package io.stagetune.common.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stagetune.common.events.Split;

/**
 * One line of a dataset version's manifest ({@code <datasetId>/manifests/v<N>.jsonl}).
 *
 * @param provenance where a label from production came from; null for an uploaded image (and left out of the JSON)
 */
public record ManifestEntry(String key, String sha256, String label, Split split, int width, int height,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Provenance provenance) {

    public ManifestEntry(String key, String sha256, String label, Split split, int width, int height) {
        this(key, sha256, label, split, width, height, null);
    }

    /**
     * A label given to a production prediction by a reviewer.
     *
     * @param source       always {@code production} for now
     * @param itemId       the review item (the prediction id, or {@code <predictionId>.<n>} for the n-th image)
     * @param modelVersion the version that made the prediction
     * @param reason       why it was picked for review: {@code uncertain} or {@code audit}
     */
    public record Provenance(String source, String predictionId, String itemId, String model, long modelVersion,
                             String reviewer, String reason) {
    }
}
