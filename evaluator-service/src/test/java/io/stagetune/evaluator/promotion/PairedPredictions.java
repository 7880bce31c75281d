package io.stagetune.evaluator.promotion;

import io.stagetune.evaluator.evaluation.ImagePredictions;

import java.util.ArrayList;
import java.util.List;

/**
 * Two versions' predictions on the same images, built class by class from the four kinds of pair: both right, only
 * the candidate right (gained), only production right (lost), both wrong. A wrong answer is the next label.
 */
final class PairedPredictions {

    private final List<String> labels;
    private final List<String> images = new ArrayList<>();
    private final List<Integer> truth = new ArrayList<>();
    private final List<Integer> candidate = new ArrayList<>();
    private final List<Integer> production = new ArrayList<>();

    PairedPredictions(List<String> labels) {
        this.labels = List.copyOf(labels);
    }

    PairedPredictions images(String label, int bothRight, int gained, int lost, int bothWrong) {
        int right = labels.indexOf(label);
        int wrong = (right + 1) % labels.size();
        add(right, right, right, bothRight);
        add(right, right, wrong, gained);
        add(right, wrong, right, lost);
        add(right, wrong, wrong, bothWrong);
        return this;
    }

    EvaluatedVersion candidate() {
        return version("v2", candidate, images);
    }

    EvaluatedVersion production() {
        return version("v1", production, images);
    }

    /** Production's predictions on only the first {@code count} images, as if its split had fewer. */
    EvaluatedVersion productionOnFirst(int count) {
        return version("v1", production.subList(0, count), images.subList(0, count));
    }

    private void add(int trueLabel, int candidateAnswer, int productionAnswer, int count) {
        for (int i = 0; i < count; i++) {
            images.add("image-" + images.size());
            truth.add(trueLabel);
            candidate.add(candidateAnswer);
            production.add(productionAnswer);
        }
    }

    private EvaluatedVersion version(String id, List<Integer> answers, List<String> names) {
        ImagePredictions predictions = ImagePredictions.of(Versions.SPLIT, labels, names,
                truth.subList(0, names.size()).stream().mapToInt(i -> i).toArray(),
                answers.stream().mapToInt(i -> i).toArray());
        return new EvaluatedVersion(id, null, labels, 0, Versions.SPLIT, predictions.metrics(), predictions);
    }
}
