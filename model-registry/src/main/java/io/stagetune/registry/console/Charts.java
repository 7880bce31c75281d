package io.stagetune.registry.console;

import io.quarkus.qute.RawString;

import java.util.List;
import java.util.Locale;

/**
 * Small charts as inline SVG, drawn on the server: no script and no asset to load. Every chart is an image with a
 * text alternative, and the pages print its numbers in a table beside it; lines differ by dash pattern and marker
 * shape, not only by colour, so they read in greyscale too.
 */
public final class Charts {

    /** One line of a chart: its name (for the legend), its CSS class (stroke and dash pattern) and its values. */
    public record Series(String name, String cssClass, List<Double> values) {
    }

    private Charts() {
    }

    /** A line of the values (nulls skipped), with the last point marked; empty when there is nothing to draw. */
    public static RawString sparkline(List<Double> values, String label) {
        double[] range = range(values);
        if (range == null) {
            return new RawString("");
        }
        int width = 120;
        int height = 28;
        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg class=\"sparkline\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                + "aria-label=\"%s\"><polyline points=\"", width, height, width, height, escape(label)));
        String last = "";
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                continue;
            }
            last = point(i, values.size(), values.get(i), range, width, height, 3);
            svg.append(last).append(' ');
        }
        String[] xy = last.split(",");
        svg.append(format("\"/><circle cx=\"%s\" cy=\"%s\" r=\"2.5\"/></svg>", xy[0], xy[1]));
        return new RawString(svg.toString());
    }

    /**
     * Lines over a common x axis (epochs), with a vertical mark at {@code marked} (the best epoch; -1 for none).
     * Each point is a {@code circle} (or, for the second series, a square) carrying its value in a title.
     */
    public static RawString lines(String id, String label, List<Series> series, List<String> xLabels, int marked) {
        double[] range = null;
        for (Series line : series) {
            double[] own = range(line.values());
            if (own != null) {
                range = range == null ? own : new double[]{Math.min(range[0], own[0]), Math.max(range[1], own[1])};
            }
        }
        int width = 560;
        int height = 180;
        int pad = 28;
        StringBuilder svg = new StringBuilder();
        svg.append(format("<svg id=\"%s\" class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" "
                + "data-points=\"%d\">", id, width, height, escape(label), xLabels.size()));
        svg.append(format("<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", pad + 12,
                height - pad, width - 4, height - pad));
        if (range != null) {
            svg.append(format("<text class=\"tick\" x=\"2\" y=\"%d\">%s</text>", pad - 8, number(range[1])));
            svg.append(format("<text class=\"tick\" x=\"2\" y=\"%d\">%s</text>", height - pad, number(range[0])));
            int n = xLabels.size();
            // Where a new stage starts (the labels are "<stage> <epoch>"), a faint line and the stage's name.
            String previous = null;
            for (int i = 0; i < n; i++) {
                String stage = xLabels.get(i).split(" ")[0];
                if (!stage.equals(previous)) {
                    String x = point(i, n, range[0], range, width, height, pad).split(",")[0];
                    svg.append(format("<line class=\"stage\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>"
                            + "<text class=\"tick\" x=\"%s\" y=\"%d\">%s</text>", x, pad - 10, x, height - pad + 4,
                            x, height - pad + 16, escape(stage)));
                    previous = stage;
                }
            }
            if (marked >= 0 && marked < n) {
                String[] xy = point(marked, n, range[1], range, width, height, pad).split(",");
                svg.append(format("<line class=\"best\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>"
                        + "<text class=\"best-label\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">best</text>",
                        xy[0], pad - 12, xy[0], height - pad, xy[0], pad - 14));
            }
            for (int s = 0; s < series.size(); s++) {
                Series line = series.get(s);
                StringBuilder points = new StringBuilder();
                StringBuilder markers = new StringBuilder();
                for (int i = 0; i < line.values().size(); i++) {
                    Double value = line.values().get(i);
                    if (value == null) {
                        continue;
                    }
                    String xy = point(i, n, value, range, width, height, pad);
                    points.append(xy).append(' ');
                    String[] c = xy.split(",");
                    String title = "<title>" + escape(line.name() + ", " + xLabels.get(i) + ": " + number(value))
                            + "</title>";
                    markers.append(s % 2 == 0
                            ? format("<circle class=\"%s\" cx=\"%s\" cy=\"%s\" r=\"3\">%s</circle>", line.cssClass(),
                            c[0], c[1], title)
                            : format("<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\">%s</rect>",
                            line.cssClass(), Double.parseDouble(c[0]) - 3, Double.parseDouble(c[1]) - 3, title));
                }
                svg.append(format("<polyline class=\"%s\" points=\"%s\"/>", line.cssClass(), points.toString().trim()));
                svg.append(markers);
            }
        }
        svg.append("</svg>");
        return new RawString(svg.toString());
    }

    /**
     * The CSS class of a heat-map cell, {@code h0} (white, nothing) to {@code h9} (darkest, the largest share): ten
     * greyscale steps, with the number printed in the cell too. A class, not a style per cell, keeps a 50 x 50
     * matrix small.
     */
    public static String heat(double share) {
        double clamped = Math.max(0, Math.min(1, share));
        return "h" + (clamped == 0 ? 0 : Math.max(1, Math.min(9, (int) Math.ceil(clamped * 9))));
    }

    static String number(double value) {
        return Math.abs(value) >= 100 ? format("%.0f", value) : format("%.3f", value);
    }

    private static String point(int index, int count, double value, double[] range, int width, int height, int pad) {
        // Room on the left for the axis labels and on the right for the "best" label.
        double left = pad > 10 ? pad + 20 : pad;
        double right = pad > 10 ? 16 : pad;
        double x = count <= 1 ? (left + width - right) / 2.0 : left + index * (width - left - right) / (count - 1);
        double span = range[1] - range[0];
        double y = height - pad - (span == 0 ? 0.5 : (value - range[0]) / span) * (height - 2.0 * pad);
        return format("%.1f,%.1f", x, y);
    }

    private static double[] range(List<Double> values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Double value : values) {
            if (value != null) {
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        return min > max ? null : new double[]{min, max};
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
