package io.stagetune.evaluator.promotion;

import io.stagetune.common.registry.PromotionStatistics;
import io.stagetune.common.registry.PromotionStatistics.Comparison;
import io.stagetune.common.registry.PromotionStatistics.Verdict;
import io.stagetune.evaluator.evaluation.ImagePredictions;
import io.stagetune.evaluator.promotion.PromotionDecision.Rejection;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The paired gate ({@code evaluator.promotion.policy=paired}, the default): candidate and production are compared on
 * the same test images, paired by content hash, so the decision knows how many images changed answer.
 * <ul>
 *   <li>Overall: the candidate must be better with confidence, by the one-sided exact McNemar test at
 *   {@code significance}, and its accuracy gain must reach {@code minEffect} (which may be 0).</li>
 *   <li>Per class production knows (recall on that class's images): the class fails the gate only when the whole
 *   {@code 1 - significance} interval of its paired difference lies below {@code -maxClassDrop}, i.e. it dropped by
 *   more than that with confidence; it passes when the interval rules such a drop out; otherwise, and whenever it
 *   has fewer than {@code minClassImages} paired images, it is "not enough data", reported and never blocking.</li>
 * </ul>
 * Images only one of the two has a prediction for are left out and counted. Images of labels production does not
 * know count as its errors, as in its own evaluation; classes new to the candidate never block.
 */
public final class PairedPolicy implements PromotionPolicy {

    public static final double DEFAULT_SIGNIFICANCE = 0.05;
    public static final double DEFAULT_MIN_EFFECT = 0;
    public static final int DEFAULT_MIN_CLASS_IMAGES = 10;
    private static final double TOLERANCE = 1e-9;

    private final double significance;
    private final double minEffect;
    private final double maxClassDrop;
    private final int minClassImages;

    public PairedPolicy(double significance, double minEffect, double maxClassDrop, int minClassImages) {
        if (!(significance > 0 && significance < 1)) {
            throw new IllegalArgumentException("significance must be in (0, 1), got " + significance);
        }
        if (!(minEffect >= 0 && minEffect <= 1) || !(maxClassDrop >= 0 && maxClassDrop <= 1)) {
            throw new IllegalArgumentException("min-effect and max-class-drop must be in [0, 1], got "
                    + minEffect + " and " + maxClassDrop);
        }
        if (minClassImages < 1) {
            throw new IllegalArgumentException("min-class-images must be at least 1, got " + minClassImages);
        }
        this.significance = significance;
        this.minEffect = minEffect;
        this.maxClassDrop = maxClassDrop;
        this.minClassImages = minClassImages;
    }

    public static PairedPolicy defaults() {
        return new PairedPolicy(DEFAULT_SIGNIFICANCE, DEFAULT_MIN_EFFECT, ThresholdPolicy.DEFAULT_MAX_CLASS_DROP,
                DEFAULT_MIN_CLASS_IMAGES);
    }

    @Override
    public String name() {
        return "paired";
    }

    @Override
    public String toString() {
        return "PairedPolicy[significance " + significance + ", min-effect " + minEffect
                + ", max-class-drop " + maxClassDrop + ", min-class-images " + minClassImages + "]";
    }

    /**
     * @throws IllegalArgumentException when either version lacks per-image predictions, or they share no image
     */
    @Override
    public PromotionDecision compare(EvaluatedVersion candidate, EvaluatedVersion current) {
        Pairs pairs = Pairs.of(predictions(candidate), predictions(current));
        List<String> reasons = new ArrayList<>();
        Set<Rejection> rejections = EnumSet.noneOf(Rejection.class);

        Comparison overall = overall(pairs.all(), rejections);
        reasons.add(overallReason(overall, pairs.unpaired()));
        List<Comparison> perClass = new ArrayList<>();
        for (String label : current.labels()) {
            Comparison comparison = perClass(label, pairs.ofClass(label));
            perClass.add(comparison);
            reasons.add(classReason(comparison));
            if (comparison.verdict() == Verdict.FAIL) {
                rejections.add(Rejection.CLASS_REGRESSION);
            }
        }
        for (String label : candidate.labels()) {
            if (!current.labels().contains(label)) {
                Tally tally = pairs.ofClass(label);
                reasons.add(String.format(Locale.ROOT, "class %s: new, unknown to production (%.3f on %d images), "
                        + "does not block", label, tally.candidateAccuracy(), tally.images));
            }
        }
        PromotionStatistics statistics = new PromotionStatistics(name(), significance, minEffect, maxClassDrop,
                minClassImages, pairs.unpaired(), overall, perClass);
        return new PromotionDecision(rejections.isEmpty(), candidate.id(), current.id(), reasons, rejections,
                statistics);
    }

    private Comparison overall(Tally tally, Set<Rejection> rejections) {
        if (tally.images == 0) {
            throw new IllegalArgumentException("candidate and production share no test image");
        }
        double pValue = PairedStatistics.pValueBetter(tally.gained, tally.lost);
        double difference = tally.difference();
        boolean significant = pValue <= significance;
        boolean largeEnough = difference > TOLERANCE && difference >= minEffect - TOLERANCE;
        if (!significant) {
            rejections.add(Rejection.NOT_SIGNIFICANT);
        }
        if (!largeEnough) {
            rejections.add(Rejection.INSUFFICIENT_IMPROVEMENT);
        }
        return tally.comparison(null, pValue, significance, significant && largeEnough ? Verdict.PASS : Verdict.FAIL);
    }

    private Comparison perClass(String label, Tally tally) {
        if (tally.images < minClassImages) {
            return tally.comparison(label, tally.images == 0 ? null
                    : PairedStatistics.pValueDifferent(tally.gained, tally.lost), significance, Verdict.NOT_ENOUGH_DATA);
        }
        Comparison measured = tally.comparison(label, PairedStatistics.pValueDifferent(tally.gained, tally.lost),
                significance, null);
        Verdict verdict;
        if (measured.upper() < -maxClassDrop - TOLERANCE) {
            verdict = Verdict.FAIL;
        } else if (measured.lower() >= -maxClassDrop - TOLERANCE) {
            verdict = Verdict.PASS;
        } else {
            verdict = Verdict.NOT_ENOUGH_DATA;
        }
        return tally.comparison(label, measured.pValue(), significance, verdict);
    }

    private String overallReason(Comparison overall, int unpaired) {
        String verdict;
        if (overall.verdict() == Verdict.PASS) {
            verdict = String.format(Locale.ROOT, "better with confidence (significance %s) and >= min-effect %.3f",
                    significance, minEffect);
        } else if (overall.difference() <= TOLERANCE) {
            verdict = String.format(Locale.ROOT, "does not beat production (min-effect %.3f)", minEffect);
        } else if (overall.pValue() > significance) {
            verdict = String.format(Locale.ROOT, "not better with confidence (p > significance %s)",
                    significance);
        } else {
            verdict = String.format(Locale.ROOT, "< min-effect %.3f", minEffect);
        }
        return String.format(Locale.ROOT, "accuracy %.3f vs production %.3f on %d paired images%s: %+.3f [%+.3f, %+.3f],"
                        + " %d gained, %d lost, McNemar p=%s (one-sided): %s", overall.candidateAccuracy(),
                overall.productionAccuracy(), overall.images(), unpaired == 0 ? "" : " (" + unpaired + " unpaired)",
                overall.difference(), overall.lower(), overall.upper(), overall.gained(), overall.lost(),
                number(overall.pValue()), verdict);
    }

    private String classReason(Comparison perClass) {
        if (perClass.images() == 0) {
            return "class " + perClass.label() + ": no test images, not enough data";
        }
        String verdict = switch (perClass.verdict()) {
            case FAIL -> String.format(Locale.ROOT, "drop exceeds max-class-drop %.3f with confidence", maxClassDrop);
            case PASS -> String.format(Locale.ROOT, "within max-class-drop %.3f with confidence", maxClassDrop);
            case NOT_ENOUGH_DATA -> perClass.images() < minClassImages
                    ? "not enough data (fewer than min-class-images " + minClassImages + ")"
                    : String.format(Locale.ROOT, "not enough data to tell a drop beyond max-class-drop %.3f",
                            maxClassDrop);
        };
        return String.format(Locale.ROOT, "class %s: %.3f -> %.3f (%+.3f [%+.3f, %+.3f]) on %d images, %d gained, "
                        + "%d lost, p=%s: %s", perClass.label(), perClass.productionAccuracy(),
                perClass.candidateAccuracy(), perClass.difference(), perClass.lower(), perClass.upper(),
                perClass.images(), perClass.gained(), perClass.lost(),
                perClass.pValue() == null ? "-" : number(perClass.pValue()), verdict);
    }

    /** Three significant digits, in plain or scientific notation as the size asks. */
    private static String number(double value) {
        return value != 0 && value < 1e-3 ? String.format(Locale.ROOT, "%.2e", value)
                : String.format(Locale.ROOT, "%.3g", value);
    }

    private static ImagePredictions predictions(EvaluatedVersion version) {
        if (version.predictions() == null) {
            throw new IllegalArgumentException("version " + version.id() + " has no per-image predictions on "
                    + version.testSplit() + ": the paired policy needs them");
        }
        return version.predictions();
    }

    /** Counts of one set of paired images. */
    private static final class Tally {
        int images;
        int productionCorrect;
        int candidateCorrect;
        int gained;
        int lost;

        void add(boolean candidateRight, boolean productionRight) {
            images++;
            candidateCorrect += candidateRight ? 1 : 0;
            productionCorrect += productionRight ? 1 : 0;
            gained += candidateRight && !productionRight ? 1 : 0;
            lost += productionRight && !candidateRight ? 1 : 0;
        }

        double difference() {
            return images == 0 ? 0 : (double) (gained - lost) / images;
        }

        double candidateAccuracy() {
            return images == 0 ? 0 : (double) candidateCorrect / images;
        }

        Comparison comparison(String label, Double pValue, double significance, Verdict verdict) {
            if (images == 0) {
                return new Comparison(label, 0, null, null, 0, 0, null, null, null, null, verdict);
            }
            double[] interval = PairedStatistics.interval(images, gained, lost, significance);
            return new Comparison(label, images, (double) productionCorrect / images, candidateAccuracy(), gained,
                    lost, difference(), interval[0], interval[1], pValue, verdict);
        }
    }

    /** The images both versions predicted, paired by content hash, tallied overall and by true label. */
    private record Pairs(Tally all, Map<String, Tally> byClass, int unpaired) {

        static Pairs of(ImagePredictions candidate, ImagePredictions production) {
            Map<String, Integer> productionIndex = new HashMap<>();
            for (int i = 0; i < production.images().size(); i++) {
                productionIndex.put(production.images().get(i), i);
            }
            Tally all = new Tally();
            Map<String, Tally> byClass = new LinkedHashMap<>();
            int paired = 0;
            for (int i = 0; i < candidate.images().size(); i++) {
                Integer other = productionIndex.get(candidate.images().get(i));
                if (other == null) {
                    continue;
                }
                paired++;
                boolean candidateRight = candidate.correct(i);
                boolean productionRight = production.correct(other);
                all.add(candidateRight, productionRight);
                byClass.computeIfAbsent(candidate.trueLabel(i), label -> new Tally())
                        .add(candidateRight, productionRight);
            }
            int unpaired = candidate.images().size() - paired + production.images().size() - paired;
            return new Pairs(all, byClass, unpaired);
        }

        Tally ofClass(String label) {
            return byClass.getOrDefault(label, new Tally());
        }
    }
}
