package io.stagetune.evaluator.promotion;

import org.apache.commons.statistics.distribution.BinomialDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The statistics of two classifiers on the same images. Only the discordant pairs carry evidence: {@code gained}
 * images the candidate gets right and production wrong, {@code lost} the reverse.
 * <ul>
 *   <li>Exact McNemar test: under "equally good", each discordant pair falls either way with probability 1/2, so
 *   {@code gained} is Binomial(gained + lost, 1/2). The binomial tail comes from Commons Statistics, which works
 *   through the regularised beta function rather than summing terms, so thousands of pairs lose no precision.</li>
 *   <li>Interval on the paired difference {@code (gained - lost) / images}: Wald with continuity correction for
 *   correlated proportions (Fleiss, Levin and Paik, <i>Statistical Methods for Rates and Proportions</i>, 3rd ed.,
 *   section 13.1): {@code d +- (z * sqrt(gained + lost - (gained - lost)^2 / n) / n + 1 / n)}, clipped to [-1, 1].</li>
 * </ul>
 */
public final class PairedStatistics {

    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private PairedStatistics() {
    }

    /** One-sided exact McNemar p-value for "the candidate is better": P(X >= gained), X ~ Bin(gained + lost, 1/2). */
    public static double pValueBetter(int gained, int lost) {
        requireCounts(gained, lost);
        if (gained == 0) {
            return 1;
        }
        return BinomialDistribution.of(gained + lost, 0.5).survivalProbability(gained - 1);
    }

    /** Two-sided exact McNemar p-value for "the two differ": 2 P(X <= min(gained, lost)), at most 1. */
    public static double pValueDifferent(int gained, int lost) {
        requireCounts(gained, lost);
        if (gained == lost) {
            return 1;
        }
        return Math.min(1, 2 * BinomialDistribution.of(gained + lost, 0.5).cumulativeProbability(Math.min(gained,
                lost)));
    }

    /**
     * The two-sided {@code 1 - significance} interval on the paired difference of {@code images} images; its upper
     * bound alone is a one-sided {@code 1 - significance / 2} bound.
     *
     * @return {lower, upper}
     */
    public static double[] interval(int images, int gained, int lost, double significance) {
        requireCounts(gained, lost);
        if (images <= 0 || gained + lost > images) {
            throw new IllegalArgumentException(gained + " gained and " + lost + " lost of " + images + " images");
        }
        double n = images;
        double difference = (gained - lost) / n;
        double z = STANDARD_NORMAL.inverseSurvivalProbability(significance / 2);
        int discordant = gained + lost;
        double spread = Math.sqrt(Math.max(0, discordant - (double) (gained - lost) * (gained - lost) / n)) / n;
        double halfWidth = z * spread + 1 / n;
        return new double[] {Math.max(-1, difference - halfWidth), Math.min(1, difference + halfWidth)};
    }

    private static void requireCounts(int gained, int lost) {
        if (gained < 0 || lost < 0) {
            throw new IllegalArgumentException("counts must not be negative: gained " + gained + ", lost " + lost);
        }
    }
}
