package io.stagetune.localstack.cli.client;

import java.util.List;

/**
 * The ingest-service's live figures of one served version ({@code GET /models/{model}/live}): how often its answers
 * were right on the newest audit labels (production traffic picked at random and labelled by a person), overall and
 * per class, with Wilson 95% intervals; and, where a shadow version answered beside it, how often the two agreed.
 *
 * @param window the newest labels asked for; {@code labels} is how many there were
 */
public record LiveFigures(String model, long version, Integer window, int labels, int correct, Double accuracy,
                          List<Double> interval, List<ClassFigures> classes, Confusion confusion, Shadow shadow) {

    public LiveFigures {
        interval = interval == null ? List.of() : List.copyOf(interval);
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /**
     * One true label: {@code labels} audit labels of it, {@code correct} of them predicted right ({@code recall}),
     * and {@code predicted} answers of that label, of which the right share is {@code precision}.
     */
    public record ClassFigures(String label, int labels, int correct, Double recall, List<Double> interval,
                               Integer predicted, Double precision) {

        public ClassFigures {
            interval = interval == null ? List.of() : List.copyOf(interval);
        }
    }

    /** Rows: true label; columns: the version's answer; both in {@code labels}' order. */
    public record Confusion(List<String> labels, List<List<Integer>> counts) {
    }

    /** The shadow version on the same traffic: agreement with production, and its accuracy on the audit labels. */
    public record Shadow(long version, int predictions, Double agreement, List<ShadowClass> classes, Integer labels,
                         Integer correct, Double accuracy, List<Double> interval) {

        public Shadow {
            classes = classes == null ? List.of() : List.copyOf(classes);
            interval = interval == null ? List.of() : List.copyOf(interval);
        }
    }

    public record ShadowClass(String label, int predictions, Double agreement) {
    }
}
