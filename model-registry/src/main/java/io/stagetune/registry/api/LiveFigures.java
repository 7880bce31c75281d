package io.stagetune.registry.api;

import java.util.List;

/**
 * A served version measured on live traffic, as ingest's {@code GET /models/{model}/live} answers: accuracy from the
 * audit labels of production predictions, per class with the number of labels and a 95% interval.
 */
public record LiveFigures(String model, long version, int labels, int correct, Double accuracy, double[] interval,
                          List<ClassLine> classes) {

    public LiveFigures {
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    public record ClassLine(String label, int labels, int correct, Double recall, double[] interval, int predicted,
                            Double precision) {
    }
}
