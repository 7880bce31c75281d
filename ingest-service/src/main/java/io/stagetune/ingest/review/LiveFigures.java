package io.stagetune.ingest.review;

import io.stagetune.ingest.ReviewItem;
import io.stagetune.ingest.ShadowAgreement;
import io.stagetune.ingest.api.LiveView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Computes a version's live figures from its audit labels; pure arithmetic, no state. */
public final class LiveFigures {

    /** The normal quantile of a two-sided 95% interval. */
    static final double Z = 1.959963984540054;

    private LiveFigures() {
    }

    public static LiveView of(String model, long version, int window, List<ReviewItem> audited,
                              List<ShadowAgreement> agreements) {
        TreeSet<String> labels = new TreeSet<>();
        audited.forEach(item -> {
            labels.add(item.label());
            labels.add(item.predictedLabel());
        });
        List<String> order = List.copyOf(labels);
        Map<String, Integer> index = new TreeMap<>();
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        int[][] confusion = new int[order.size()][order.size()];
        int correct = 0;
        for (ReviewItem item : audited) {
            confusion[index.get(item.label())][index.get(item.predictedLabel())]++;
            if (item.label().equals(item.predictedLabel())) {
                correct++;
            }
        }
        List<LiveView.ClassLine> classes = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            int support = 0;
            int predicted = 0;
            for (int j = 0; j < order.size(); j++) {
                support += confusion[i][j];
                predicted += confusion[j][i];
            }
            int hits = confusion[i][i];
            classes.add(new LiveView.ClassLine(order.get(i), support, hits, ratio(hits, support),
                    wilson(hits, support), predicted, ratio(hits, predicted)));
        }
        return new LiveView(model, version, window, audited.size(), correct, ratio(correct, audited.size()),
                wilson(correct, audited.size()), classes, new LiveView.Confusion(order, confusion),
                shadow(audited, agreements));
    }

    private static LiveView.ShadowLine shadow(List<ReviewItem> audited, List<ShadowAgreement> agreements) {
        if (agreements.isEmpty()) {
            return null;
        }
        long shadowVersion = agreements.get(0).shadowVersion();
        long predictions = 0;
        long agreed = 0;
        List<LiveView.AgreementLine> lines = new ArrayList<>();
        for (ShadowAgreement row : agreements) {
            predictions += row.predictions();
            agreed += row.agreements();
            lines.add(new LiveView.AgreementLine(row.label(), row.predictions(), row.agreements(),
                    ratio(row.agreements(), row.predictions())));
        }
        int labels = 0;
        int correct = 0;
        for (ReviewItem item : audited) {
            if (item.shadowVersion() != null && item.shadowVersion() == shadowVersion && item.shadowLabel() != null) {
                labels++;
                if (item.shadowLabel().equals(item.label())) {
                    correct++;
                }
            }
        }
        return new LiveView.ShadowLine(shadowVersion, predictions, ratio(agreed, predictions), lines, labels, correct,
                ratio(correct, labels), wilson(correct, labels));
    }

    /** The share, or null when there is nothing to share (JSON null rather than NaN). */
    static Double ratio(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    /** The Wilson score interval of a proportion at 95%: sensible at 0, n and small n, unlike the Wald interval. */
    static double[] wilson(long successes, long n) {
        if (n == 0) {
            return new double[] {0, 1};
        }
        double p = (double) successes / n;
        double z2 = Z * Z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }
}
