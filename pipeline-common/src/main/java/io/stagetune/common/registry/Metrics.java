package io.stagetune.common.registry;

import java.util.List;

/**
 * A version's evaluation on its dataset version's test split.
 *
 * @param confusionMatrix rows are true labels, columns predicted labels, both in the version's label order
 */
public record Metrics(Double accuracy, Double macroPrecision, Double macroRecall, Double macroF1,
                      Integer imagesEvaluated, List<ClassMetrics> perClass, List<List<Long>> confusionMatrix) {

    public Metrics {
        perClass = perClass == null ? List.of() : List.copyOf(perClass);
        confusionMatrix = confusionMatrix == null ? List.of() : confusionMatrix.stream().map(List::copyOf).toList();
    }

    /** One class: accuracy of a class is its recall. */
    public record ClassMetrics(String label, Double accuracy, Double precision, Double recall, Double f1,
                               Long support) {
    }
}
