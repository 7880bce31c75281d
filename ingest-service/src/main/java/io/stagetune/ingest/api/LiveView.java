package io.stagetune.ingest.api;

import java.util.List;

/**
 * A served version measured on live traffic, from the newest audit labels: overall and per-class accuracy
 * (recall) with Wilson 95% intervals, precision, the confusion matrix (rows: true label, columns: predicted), and
 * the shadow version that ran beside it, if any.
 */
public record LiveView(String model, long version, int window, int labels, int correct, Double accuracy,
                       double[] interval, List<ClassLine> classes, Confusion confusion, ShadowLine shadow) {

    /**
     * @param labels    audit labels of this true label
     * @param recall    correct / labels (null when there are none)
     * @param predicted audit images the version predicted as this label
     * @param precision correct / predicted (null when none)
     */
    public record ClassLine(String label, int labels, int correct, Double recall, double[] interval, int predicted,
                            Double precision) {
    }

    public record Confusion(List<String> labels, int[][] counts) {
    }

    /**
     * @param predictions images both versions answered; {@code agreement}: share with the same top-1
     * @param labels      audit labels the shadow answered too; {@code accuracy}: its share correct
     */
    public record ShadowLine(long version, long predictions, Double agreement, List<AgreementLine> classes,
                             int labels, int correct, Double accuracy, double[] interval) {
    }

    public record AgreementLine(String label, long predictions, long agreements, Double agreement) {
    }
}
