package io.stagetune.evaluator.evaluation;

import java.util.List;

/**
 * Counts of (true label, predicted label): {@code counts.get(t).get(p)} is the number of test images of
 * {@code labels.get(t)} predicted as {@code labels.get(p)}. Rows are true labels, columns predictions.
 */
public record ConfusionMatrix(List<String> labels, List<List<Integer>> counts) {

    public ConfusionMatrix {
        labels = List.copyOf(labels);
        counts = counts.stream().map(List::copyOf).toList();
        int size = labels.size();
        if (counts.size() != size || counts.stream().anyMatch(row -> row.size() != size)) {
            throw new IllegalArgumentException("a confusion matrix of " + size + " labels needs " + size + " x "
                    + size + " counts");
        }
    }

    public int count(String trueLabel, String predictedLabel) {
        return counts.get(index(trueLabel)).get(index(predictedLabel));
    }

    private int index(String label) {
        int index = labels.indexOf(label);
        if (index < 0) {
            throw new IllegalArgumentException("no label " + label + " in " + labels);
        }
        return index;
    }
}
