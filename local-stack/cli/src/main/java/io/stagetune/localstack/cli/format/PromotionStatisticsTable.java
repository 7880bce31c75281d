package io.stagetune.localstack.cli.format;

import io.stagetune.common.registry.PromotionStatistics;
import io.stagetune.common.registry.PromotionStatistics.Comparison;

import java.util.Locale;

/**
 * The paired gate's statistics of a decision: per class and overall, both accuracies on the same images, the
 * difference with its interval, the exact McNemar p-value and the rule's verdict.
 */
public final class PromotionStatisticsTable {

    private PromotionStatisticsTable() {
    }

    public static String render(PromotionStatistics statistics, String indent) {
        TextTable table = new TextTable().left("class").right("images").right("production").right("candidate")
                .right("change").right("interval").right("p-value").left("verdict");
        for (Comparison perClass : statistics.perClass()) {
            row(table, perClass.label(), perClass);
        }
        table.separator();
        row(table, "overall", statistics.overall());
        StringBuilder text = new StringBuilder();
        text.append(indent).append(String.format(Locale.ROOT, "%s gate on the same test images (McNemar: one-sided "
                + "overall, two-sided per class; %s intervals)%n", statistics.policy(),
                statistics.significance() == null ? "-" : level(1 - statistics.significance())));
        text.append(indent).append(String.format(Locale.ROOT, "significance %s, min-effect %s, max-class-drop %s, "
                        + "min-class-images %s%s%n", statistics.significance(), Formats.fraction(statistics.minEffect()),
                Formats.fraction(statistics.maxClassDrop()), statistics.minClassImages(),
                statistics.unpairedImages() == null || statistics.unpairedImages() == 0 ? ""
                        : "; " + statistics.unpairedImages() + " images unpaired, left out"));
        return text.append(table.render(indent)).toString();
    }

    private static void row(TextTable table, String name, Comparison comparison) {
        if (comparison == null) {
            return;
        }
        table.row(name, comparison.images(), Formats.fraction(comparison.productionAccuracy()),
                Formats.fraction(comparison.candidateAccuracy()), signed(comparison.difference()),
                comparison.lower() == null ? "-" : "[" + signed(comparison.lower()) + ", "
                        + signed(comparison.upper()) + "]",
                comparison.pValue() == null ? "-" : pValue(comparison.pValue()),
                comparison.verdict() == null ? "-" : comparison.verdict().name().toLowerCase(Locale.ROOT)
                        .replace('_', ' '));
    }

    private static String signed(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%+.3f", value);
    }

    private static String pValue(double value) {
        return value != 0 && value < 1e-3 ? String.format(Locale.ROOT, "%.2e", value)
                : String.format(Locale.ROOT, "%.3f", value);
    }

    private static String level(double confidence) {
        return String.format(Locale.ROOT, "%.0f%%", confidence * 100);
    }
}
