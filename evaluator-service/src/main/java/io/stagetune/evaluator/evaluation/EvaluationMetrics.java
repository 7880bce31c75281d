package io.stagetune.evaluator.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A model's figures on a test split, computed from (true label, predicted label) pairs.
 *
 * <p>Macro averages are unweighted means over the classes that have test images (support > 0): a label the
 * model knows but the split has no image of carries no evidence, so it neither helps nor hurts the averages.
 * Undefined ratios are 0 (see {@link ClassMetrics}); so is the accuracy of an empty evaluation.
 *
 * @param labels          every label of the matrix: the model's labels in order, then test labels it does not know
 * @param imagesEvaluated test images evaluated
 * @param accuracy        correct predictions / images evaluated
 * @param perClass        one entry per label, in {@code labels} order
 */
public record EvaluationMetrics(List<String> labels, int imagesEvaluated, int correct, double accuracy,
                                double macroPrecision, double macroRecall, double macroF1,
                                List<ClassMetrics> perClass, ConfusionMatrix confusionMatrix) {

    public EvaluationMetrics {
        labels = List.copyOf(labels);
        perClass = List.copyOf(perClass);
    }

    /**
     * The figures of {@code trueLabels[i]} vs {@code predictedLabels[i]}, both indices into {@code labels}.
     */
    public static EvaluationMetrics of(List<String> labels, int[] trueLabels, int[] predictedLabels) {
        if (trueLabels.length != predictedLabels.length) {
            throw new IllegalArgumentException(trueLabels.length + " true labels but " + predictedLabels.length
                    + " predictions");
        }
        Tally tally = new Tally(labels);
        for (int i = 0; i < trueLabels.length; i++) {
            tally.add(trueLabels[i], predictedLabels[i]);
        }
        return tally.metrics();
    }

    public Optional<ClassMetrics> forClass(String label) {
        return perClass.stream().filter(metrics -> metrics.label().equals(label)).findFirst();
    }

    /** Per-class accuracy (recall) by label, in label order. */
    public Map<String, Double> perClassAccuracy() {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        perClass.forEach(metrics -> accuracy.put(metrics.label(), metrics.accuracy()));
        return accuracy;
    }

    /** Accumulates predictions one at a time, e.g. batch by batch. */
    public static final class Tally {

        private final List<String> labels;
        private final int[][] counts;
        private int images;

        public Tally(List<String> labels) {
            this.labels = List.copyOf(labels);
            this.counts = new int[labels.size()][labels.size()];
        }

        public void add(int trueLabel, int predictedLabel) {
            if (trueLabel < 0 || trueLabel >= labels.size() || predictedLabel < 0 || predictedLabel >= labels.size()) {
                throw new IllegalArgumentException("label indices (" + trueLabel + ", " + predictedLabel
                        + ") outside 0.." + (labels.size() - 1));
            }
            counts[trueLabel][predictedLabel]++;
            images++;
        }

        public EvaluationMetrics metrics() {
            int n = labels.size();
            List<ClassMetrics> perClass = new ArrayList<>(n);
            List<List<Integer>> matrix = new ArrayList<>(n);
            int correct = 0;
            for (int label = 0; label < n; label++) {
                int support = 0;
                int predicted = 0;
                List<Integer> row = new ArrayList<>(n);
                for (int other = 0; other < n; other++) {
                    support += counts[label][other];
                    predicted += counts[other][label];
                    row.add(counts[label][other]);
                }
                matrix.add(row);
                correct += counts[label][label];
                perClass.add(ClassMetrics.of(labels.get(label), support, predicted, counts[label][label]));
            }
            List<ClassMetrics> present = perClass.stream().filter(metrics -> metrics.support() > 0).toList();
            return new EvaluationMetrics(labels, images, correct, images == 0 ? 0 : (double) correct / images,
                    mean(present, ClassMetrics::precision), mean(present, ClassMetrics::recall),
                    mean(present, ClassMetrics::f1), perClass, new ConfusionMatrix(labels, matrix));
        }

        private static double mean(List<ClassMetrics> classes, ToDoubleFunction<ClassMetrics> value) {
            return classes.isEmpty() ? 0 : classes.stream().mapToDouble(value).sum() / classes.size();
        }
    }
}
