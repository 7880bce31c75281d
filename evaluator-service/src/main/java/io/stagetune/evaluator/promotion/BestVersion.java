package io.stagetune.evaluator.promotion;

import java.util.Comparator;
import java.util.List;

/**
 * The run's candidate for promotion among its evaluated stages, chosen on the validation split, not the test split:
 * picking the best of several stages on the test split and then judging it on that same split would favour the
 * candidate by the luck of the pick.
 *
 * <p>The candidate is the latest stage whose validation accuracy lies within {@code standardErrors} standard errors
 * of the best stage's ({@code sqrt(p (1 - p) / n)} for the best accuracy {@code p} on {@code n} validation images).
 * A later stage started from the earlier one's weights and trained more of the network on the same data; a lead of
 * an earlier stage smaller than the validation split can resolve is not evidence against that. On the bundled demo
 * subset (250 validation images) a run's LAYER4 led its FULL by 0.8 points on validation (one standard error is 1.7)
 * while the FULL was 3 points better on the 500 test images. With {@code standardErrors} 0, or
 * the validation size unknown, it is simply the best validation accuracy; exact ties go to the higher test accuracy,
 * then to the later stage.
 */
public final class BestVersion {

    private static final Comparator<EvaluatedVersion> BY_STAGE =
            Comparator.comparing(EvaluatedVersion::stage, Comparator.nullsFirst(Comparator.naturalOrder()));
    private static final Comparator<EvaluatedVersion> ORDER = Comparator
            .comparingDouble(EvaluatedVersion::valAccuracy)
            .thenComparingDouble(version -> version.metrics().accuracy())
            .thenComparing(BY_STAGE);

    private BestVersion() {
    }

    /** The best validation accuracy (exact ties: test accuracy, then the later stage). */
    public static EvaluatedVersion of(List<EvaluatedVersion> stages) {
        return of(stages, 0, 0);
    }

    /**
     * @param validationImages how many validation images the accuracies were measured on (0: unknown)
     * @param standardErrors   how far below the best a later stage may lie and still be chosen, in standard errors
     */
    public static EvaluatedVersion of(List<EvaluatedVersion> stages, int validationImages, double standardErrors) {
        EvaluatedVersion best = stages.stream().max(ORDER)
                .orElseThrow(() -> new IllegalArgumentException("a run without evaluated stages has no best version"));
        if (validationImages <= 0 || standardErrors <= 0) {
            return best;
        }
        double lowest = best.valAccuracy() - standardErrors * standardError(best.valAccuracy(), validationImages);
        return stages.stream()
                .filter(version -> version.valAccuracy() >= lowest)
                .max(BY_STAGE.thenComparing(ORDER))
                .orElse(best);
    }

    /** One standard error of an accuracy {@code accuracy} measured on {@code images} images. */
    static double standardError(double accuracy, int images) {
        return Math.sqrt(accuracy * (1 - accuracy) / images);
    }
}
