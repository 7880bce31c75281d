package io.stagetune.evaluator.client;

import io.stagetune.common.registry.Metrics;
import io.stagetune.evaluator.evaluation.ClassMetrics;
import io.stagetune.evaluator.evaluation.ConfusionMatrix;
import io.stagetune.evaluator.evaluation.EvaluationMetrics;

import java.util.ArrayList;
import java.util.List;

/** Converts between the evaluator's metrics and the registry's JSON; the confusion matrix carries both ways. */
public final class RegistryMetrics {

    private RegistryMetrics() {
    }

    public static Metrics toRegistry(EvaluationMetrics metrics) {
        List<Metrics.ClassMetrics> perClass = metrics.perClass().stream()
                .map(c -> new Metrics.ClassMetrics(c.label(), c.accuracy(), c.precision(), c.recall(), c.f1(),
                        (long) c.support()))
                .toList();
        List<List<Long>> matrix = metrics.confusionMatrix().counts().stream()
                .map(row -> row.stream().map(Integer::longValue).toList())
                .toList();
        return new Metrics(metrics.accuracy(), metrics.macroPrecision(), metrics.macroRecall(), metrics.macroF1(),
                metrics.imagesEvaluated(), perClass, matrix);
    }

    /** The evaluator's view of stored metrics; per-class predictions and hits come from the confusion matrix. */
    public static EvaluationMetrics fromRegistry(Metrics metrics) {
        List<String> labels = metrics.perClass().stream().map(Metrics.ClassMetrics::label).toList();
        List<List<Integer>> counts = metrics.confusionMatrix().stream()
                .map(row -> row.stream().map(Long::intValue).toList()).toList();
        List<ClassMetrics> perClass = new ArrayList<>();
        int correct = 0;
        for (int i = 0; i < labels.size(); i++) {
            Metrics.ClassMetrics stored = metrics.perClass().get(i);
            int hits = i < counts.size() && i < counts.get(i).size() ? counts.get(i).get(i) : 0;
            int predicted = 0;
            for (List<Integer> row : counts) {
                predicted += i < row.size() ? row.get(i) : 0;
            }
            correct += hits;
            perClass.add(new ClassMetrics(stored.label(), stored.support().intValue(), predicted, hits,
                    stored.accuracy(), stored.precision(), stored.f1()));
        }
        return new EvaluationMetrics(labels, metrics.imagesEvaluated(), correct, metrics.accuracy(),
                metrics.macroPrecision(), metrics.macroRecall(), metrics.macroF1(), perClass,
                new ConfusionMatrix(labels, counts));
    }
}
