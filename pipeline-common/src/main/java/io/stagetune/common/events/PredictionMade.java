package io.stagetune.common.events;

import io.stagetune.common.Topics;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The serving-service answered one prediction request: which version of which model computed it, through which
 * alias, and for each image its SHA-256 and top-k labels. No image bytes: an image kept for labelling is in the
 * object store under {@code <imagesBucket>/<model>/<sha256>} when {@code imageKept} says so.
 *
 * @param predictionId the id the HTTP response carried
 * @param latencyMs    the request's time in the service, from the request's arrival to its answer
 * @param datasetId    the dataset the answering version was trained on (its registry lineage), so a label given
 *                     to this prediction can go back to that dataset; null when unknown
 * @param shadow       what the shadow version (a candidate run beside production, never answering) said about the
 *                     same images; null when no shadow ran
 */
public record PredictionMade(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        UUID predictionId,
        String model,
        long version,
        String alias,
        List<ImagePrediction> images,
        double latencyMs,
        String datasetId,
        Shadow shadow) implements PipelineEvent {

    public PredictionMade {
        images = images == null ? List.of() : List.copyOf(images);
    }

    /** An answer without dataset or shadow (events written before those fields existed read the same). */
    public PredictionMade(UUID eventId, int schemaVersion, Instant occurredAt, UUID predictionId, String model,
                          long version, String alias, List<ImagePrediction> images, double latencyMs) {
        this(eventId, schemaVersion, occurredAt, predictionId, model, version, alias, images, latencyMs, null, null);
    }

    /** One image of the request, its top-k labels with probabilities, most probable first. */
    public record ImagePrediction(String sha256, List<LabelProbability> top, boolean imageKept) {
        public ImagePrediction {
            top = top == null ? List.of() : List.copyOf(top);
        }
    }

    public record LabelProbability(String label, double probability) {
    }

    /**
     * The shadow version's answer to the same request: the version an alias such as {@code shadow} pointed at,
     * run on the same images without answering with it.
     *
     * @param top1 its most probable label for each image, in the order of {@code images}
     */
    public record Shadow(long version, String alias, List<LabelProbability> top1) {
        public Shadow {
            top1 = top1 == null ? List.of() : List.copyOf(top1);
        }
    }

    @Override
    public String key() {
        return model;
    }

    @Override
    public String topic() {
        return Topics.PREDICTIONS;
    }
}
