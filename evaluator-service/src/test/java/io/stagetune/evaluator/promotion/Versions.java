package io.stagetune.evaluator.promotion;

import io.stagetune.common.events.Stage;
import io.stagetune.evaluator.evaluation.EvaluationMetrics;
import io.stagetune.evaluator.evaluation.TestSplit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluated versions built from per-class results on a test split: "label=correct/support". */
final class Versions {

    static final TestSplit SPLIT = new TestSplit("shop", 3);

    private Versions() {
    }

    /**
     * A version knowing {@code known} labels, evaluated on {@code SPLIT}; every label of {@code results} is a row.
     * A wrong prediction goes to the next known label, so precision differs but per-class accuracy is as given.
     */
    static EvaluatedVersion version(String id, List<String> known, String... results) {
        return version(id, Stage.HEAD, 0, SPLIT, known, results);
    }

    static EvaluatedVersion version(String id, Stage stage, double valAccuracy, TestSplit split, List<String> known,
                                    String... results) {
        Map<String, int[]> perLabel = new LinkedHashMap<>();
        for (String result : results) {
            String[] parts = result.split("[=/]");
            perLabel.put(parts[0], new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[2])});
        }
        List<String> labels = new ArrayList<>(known);
        perLabel.keySet().stream().filter(label -> !known.contains(label)).forEach(labels::add);
        List<Integer> trueLabels = new ArrayList<>();
        List<Integer> predicted = new ArrayList<>();
        perLabel.forEach((label, counts) -> {
            int index = labels.indexOf(label);
            int wrong = (known.contains(label) ? known.indexOf(label) + 1 : 0) % known.size();
            for (int i = 0; i < counts[1]; i++) {
                trueLabels.add(index);
                predicted.add(i < counts[0] ? index : wrong);
            }
        });
        EvaluationMetrics metrics = EvaluationMetrics.of(labels, trueLabels.stream().mapToInt(i -> i).toArray(),
                predicted.stream().mapToInt(i -> i).toArray());
        return new EvaluatedVersion(id, stage, known, valAccuracy, split, metrics);
    }
}
