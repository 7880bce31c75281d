package io.stagetune.serving.api;

import io.stagetune.common.events.PredictionMade.LabelProbability;

import java.util.List;
import java.util.UUID;

/**
 * The answer to one prediction request: the version that computed it, reached through which alias, and per image
 * (in request order) its SHA-256 and its top-k labels, most probable first.
 */
public record PredictionResponse(UUID predictionId, String model, long version, String alias,
                                 List<ImageResult> images) {

    /** @param name the part's file name, or null for a raw body without one */
    public record ImageResult(String name, String sha256, List<LabelProbability> top) {
    }
}
