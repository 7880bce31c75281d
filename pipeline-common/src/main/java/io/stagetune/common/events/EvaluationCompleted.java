package io.stagetune.common.events;

import io.stagetune.common.Topics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A checkpoint was evaluated on its dataset version's test split and registered as a model version.
 *
 * @param promotion the promotion decision, present only on the evaluation that closed the run
 */
public record EvaluationCompleted(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String model,
        Stage stage,
        String checkpoint,
        long modelVersion,
        String datasetId,
        int datasetVersion,
        int imagesEvaluated,
        double accuracy,
        double macroF1,
        Map<String, Double> perClassAccuracy,
        Promotion promotion) implements PipelineEvent {

    public EvaluationCompleted {
        perClassAccuracy = perClassAccuracy == null ? Map.of() : Map.copyOf(perClassAccuracy);
    }

    /** What the evaluator decided for the run's best candidate, and why. */
    public record Promotion(boolean promoted, long candidateVersion, Long productionVersion, List<String> reasons) {
        public Promotion {
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
        }
    }

    @Override
    public String key() {
        return runId;
    }

    @Override
    public String topic() {
        return Topics.EVALUATION_RESULTS;
    }
}
