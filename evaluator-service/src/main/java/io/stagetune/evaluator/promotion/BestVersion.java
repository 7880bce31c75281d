package io.stagetune.evaluator.promotion;

import java.util.Comparator;
import java.util.List;

/**
 * The run's candidate for promotion among its evaluated stages. Chosen by validation accuracy, not test
 * accuracy: picking the best of several stages on the test split and then judging it on that same split would
 * favour the candidate by the luck of the pick. Ties go to the higher test accuracy, then to the later stage.
 */
public final class BestVersion {

    private static final Comparator<EvaluatedVersion> ORDER = Comparator
            .comparingDouble(EvaluatedVersion::valAccuracy)
            .thenComparingDouble(version -> version.metrics().accuracy())
            .thenComparing(EvaluatedVersion::stage, Comparator.nullsFirst(Comparator.naturalOrder()));

    private BestVersion() {
    }

    public static EvaluatedVersion of(List<EvaluatedVersion> stages) {
        return stages.stream().max(ORDER)
                .orElseThrow(() -> new IllegalArgumentException("a run without evaluated stages has no best version"));
    }
}
