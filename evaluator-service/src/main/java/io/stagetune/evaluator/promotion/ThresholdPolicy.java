package io.stagetune.evaluator.promotion;

import io.stagetune.evaluator.evaluation.ClassMetrics;
import io.stagetune.evaluator.promotion.PromotionDecision.Rejection;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The thresholds policy ({@code evaluator.promotion.policy=thresholds}): TFX-style blessing extended per class. A candidate becomes production when there is no production version, or
 * when, on the same test split, its accuracy beats production's by at least {@code minImprovement} (and by more
 * than nothing, so equal models never churn) and no class production knows loses more than {@code maxClassDrop}
 * of per-class accuracy. Classes production does not know cannot regress, and classes without test images carry
 * no evidence; neither blocks. It looks at accuracies only, not at how many images stand behind them: choose it
 * when versions have no per-image predictions to pair, or to reproduce decisions made before the paired gate.
 */
public final class ThresholdPolicy implements PromotionPolicy {

    public static final double DEFAULT_MIN_IMPROVEMENT = 0.01;
    public static final double DEFAULT_MAX_CLASS_DROP = 0.05;
    // Accuracies are ratios of counts: 0.82 - 0.81 is 0.00999... in doubles and must count as 0.01.
    private static final double TOLERANCE = 1e-9;

    private final double minImprovement;
    private final double maxClassDrop;

    public ThresholdPolicy(double minImprovement, double maxClassDrop) {
        if (!(minImprovement >= 0 && minImprovement <= 1) || !(maxClassDrop >= 0 && maxClassDrop <= 1)) {
            throw new IllegalArgumentException("min-improvement and max-class-drop must be in [0, 1], got "
                    + minImprovement + " and " + maxClassDrop);
        }
        this.minImprovement = minImprovement;
        this.maxClassDrop = maxClassDrop;
    }

    @Override
    public String name() {
        return "thresholds";
    }

    @Override
    public String toString() {
        return "ThresholdPolicy[min-improvement " + minImprovement + ", max-class-drop " + maxClassDrop + "]";
    }

    public static ThresholdPolicy defaults() {
        return new ThresholdPolicy(DEFAULT_MIN_IMPROVEMENT, DEFAULT_MAX_CLASS_DROP);
    }

    /**
     * @throws IllegalArgumentException when production was evaluated on another test split than the candidate:
     *                                  re-evaluate production on the candidate's split first
     */
    @Override
    public PromotionDecision compare(EvaluatedVersion candidate, EvaluatedVersion current) {
        if (!current.testSplit().equals(candidate.testSplit())) {
            throw new IllegalArgumentException("production " + current.id() + " was evaluated on "
                    + current.testSplit() + ", candidate " + candidate.id() + " on " + candidate.testSplit()
                    + ": re-evaluate production first");
        }
        List<String> reasons = new ArrayList<>();
        Set<Rejection> rejections = EnumSet.noneOf(Rejection.class);
        if (!checkAccuracy(candidate, current, reasons)) {
            rejections.add(Rejection.INSUFFICIENT_IMPROVEMENT);
        }
        if (!checkClasses(candidate, current, reasons)) {
            rejections.add(Rejection.CLASS_REGRESSION);
        }
        return new PromotionDecision(rejections.isEmpty(), candidate.id(), current.id(), reasons, rejections);
    }

    private boolean checkAccuracy(EvaluatedVersion candidate, EvaluatedVersion production, List<String> reasons) {
        double accuracy = candidate.metrics().accuracy();
        double baseline = production.metrics().accuracy();
        double gain = accuracy - baseline;
        boolean passed = gain > TOLERANCE && gain >= minImprovement - TOLERANCE;
        String verdict;
        if (passed) {
            verdict = String.format(Locale.ROOT, ">= min-improvement %.3f", minImprovement);
        } else if (gain > TOLERANCE) {
            verdict = String.format(Locale.ROOT, "< min-improvement %.3f", minImprovement);
        } else {
            verdict = String.format(Locale.ROOT, "does not beat production (min-improvement %.3f)", minImprovement);
        }
        reasons.add(String.format(Locale.ROOT, "accuracy %.3f vs production %.3f: %+.3f %s", accuracy, baseline,
                gain, verdict));
        return passed;
    }

    private boolean checkClasses(EvaluatedVersion candidate, EvaluatedVersion production, List<String> reasons) {
        boolean passed = true;
        for (String label : production.labels()) {
            Optional<ClassMetrics> before = production.metrics().forClass(label);
            if (before.isEmpty() || before.get().support() == 0) {
                reasons.add("class " + label + ": no test images, not compared");
                continue;
            }
            double after = candidate.metrics().forClass(label).map(ClassMetrics::accuracy).orElse(0.0);
            double change = after - before.get().accuracy();
            boolean dropped = -change > maxClassDrop + TOLERANCE;
            passed &= !dropped;
            reasons.add(String.format(Locale.ROOT, "class %s: %.3f -> %.3f (%+.3f) %s max-class-drop %.3f", label,
                    before.get().accuracy(), after, change, dropped ? "exceeds" : "within", maxClassDrop));
        }
        for (String label : candidate.labels()) {
            if (!production.labels().contains(label)) {
                reasons.add(String.format(Locale.ROOT, "class %s: new, unknown to production (%.3f), does not block",
                        label, candidate.metrics().forClass(label).map(ClassMetrics::accuracy).orElse(0.0)));
            }
        }
        return passed;
    }
}
