package io.stagetune.evaluator.promotion;

import io.stagetune.common.events.Stage;
import io.stagetune.evaluator.evaluation.EvaluationMetrics;
import io.stagetune.evaluator.evaluation.ImagePredictions;
import io.stagetune.evaluator.evaluation.TestSplit;

import java.util.List;
import java.util.Objects;

/**
 * A model version with its evaluation: what the promotion policy compares.
 *
 * @param id          the version's identity (registry version id or checkpoint URI), used in reasons
 * @param labels      the labels the model knows, in head order
 * @param valAccuracy the validation accuracy its stage reported (from the same dataset version as the test split)
 * @param testSplit   the split {@code metrics} were computed on
 * @param predictions its prediction for every image of {@code testSplit}; null when not known
 */
public record EvaluatedVersion(String id, Stage stage, List<String> labels, double valAccuracy, TestSplit testSplit,
                               EvaluationMetrics metrics, ImagePredictions predictions) {

    public EvaluatedVersion(String id, Stage stage, List<String> labels, double valAccuracy, TestSplit testSplit,
                            EvaluationMetrics metrics) {
        this(id, stage, labels, valAccuracy, testSplit, metrics, null);
    }

    public EvaluatedVersion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(testSplit, "testSplit");
        Objects.requireNonNull(metrics, "metrics");
        labels = List.copyOf(labels);
    }
}
