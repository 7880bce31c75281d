package io.stagetune.localstack.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for the terminal: a header row, then rows, each column as wide as its widest cell, text
 * left-aligned and numbers right-aligned, two spaces between columns, no trailing blanks.
 */
public final class TextTable {

    private static final String GAP = "  ";

    private final List<String> headers = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    /** The rows; null stands for a separator line. */
    private final List<List<String>> rows = new ArrayList<>();

    /** Adds a column of text. */
    public TextTable left(String header) {
        headers.add(header);
        rightAligned.add(false);
        return this;
    }

    /** Adds a column of numbers. */
    public TextTable right(String header) {
        headers.add(header);
        rightAligned.add(true);
        return this;
    }

    /** Adds a row; null cells are shown as {@code -}. */
    public TextTable row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of "
                    + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(cell == null ? "-" : cell.toString());
        }
        rows.add(row);
        return this;
    }

    /** Adds a line of dashes across the table, e.g. before a totals row. */
    public TextTable separator() {
        rows.add(null);
        return this;
    }

    /** The table's lines, each prefixed with {@code indent} and ending with a line break. */
    public String render(String indent) {
        int[] widths = new int[headers.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = headers.get(column).length();
            for (List<String> row : rows) {
                if (row != null) {
                    widths[column] = Math.max(widths[column], row.get(column).length());
                }
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, indent, headers, widths);
        for (List<String> row : rows) {
            if (row == null) {
                int total = (widths.length - 1) * GAP.length();
                for (int width : widths) {
                    total += width;
                }
                text.append(indent).append("-".repeat(total)).append('\n');
            } else {
                line(text, indent, row, widths);
            }
        }
        return text.toString();
    }

    private void line(StringBuilder text, String indent, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder(indent);
        for (int column = 0; column < widths.length; column++) {
            String cell = cells.get(column);
            String padding = " ".repeat(widths[column] - cell.length());
            line.append(rightAligned.get(column) ? padding + cell : cell + padding);
            if (column < widths.length - 1) {
                line.append(GAP);
            }
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }
}
