package io.stagetune.localstack.cli.format;

import java.util.List;
import java.util.Locale;

/**
 * A confusion matrix as text: rows are true labels, columns predicted labels. Short labels head their columns;
 * when one is longer than {@link #MAX_HEADER} characters every label is numbered, the rows carry number and name
 * (the legend), and the columns only the number, so the matrix stays narrow whatever the label names.
 */
public final class ConfusionMatrixFormat {

    static final int MAX_HEADER = 8;
    private static final String CORNER = "true \\ predicted";

    private ConfusionMatrixFormat() {
    }

    public static String render(List<String> labels, List<List<Long>> matrix, String indent) {
        if (matrix.isEmpty()) {
            return indent + "(no confusion matrix recorded)\n";
        }
        if (matrix.size() != labels.size() || matrix.stream().anyMatch(row -> row.size() != labels.size())) {
            throw new IllegalArgumentException("confusion matrix is not " + labels.size() + " x " + labels.size()
                    + " for the labels " + labels);
        }
        boolean numbered = labels.stream().anyMatch(label -> label.length() > MAX_HEADER);
        TextTable table = new TextTable().left(CORNER);
        for (int column = 0; column < labels.size(); column++) {
            table.right(numbered ? Integer.toString(column + 1) : labels.get(column));
        }
        int numberWidth = Integer.toString(labels.size()).length();
        for (int row = 0; row < labels.size(); row++) {
            Object[] cells = new Object[labels.size() + 1];
            cells[0] = numbered
                    ? String.format(Locale.ROOT, "%" + numberWidth + "d %s", row + 1, labels.get(row))
                    : labels.get(row);
            for (int column = 0; column < labels.size(); column++) {
                cells[column + 1] = matrix.get(row).get(column);
            }
            table.row(cells);
        }
        return table.render(indent);
    }
}
