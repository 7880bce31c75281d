package io.stagetune.common.registry;

import java.util.List;

/**
 * The paired statistics behind a promotion decision: candidate and production compared on the same test images
 * (paired by content hash), overall and per class. Decisions of the thresholds policy, and decisions stored before
 * these statistics existed, have none.
 *
 * @param policy          the policy that decided ({@code paired})
 * @param significance    the overall test's level; per class, intervals are two-sided at {@code 1 - significance}
 * @param minEffect  the least overall accuracy gain (candidate minus production) that may promote
 * @param maxClassDrop    the per-class recall drop that fails the gate when shown with confidence
 * @param minClassImages  classes with fewer paired test images are not judged
 * @param unpairedImages  test images only one of the two has a prediction for, left out of the comparison
 * @param overall         every paired image; its p-value is one-sided (the candidate is better)
 * @param perClass        one entry per class production knows, in production's label order; p-values two-sided
 */
public record PromotionStatistics(String policy, Double significance, Double minEffect, Double maxClassDrop,
                                  Integer minClassImages, Integer unpairedImages, Comparison overall,
                                  List<Comparison> perClass) {

    public PromotionStatistics {
        perClass = perClass == null ? List.of() : List.copyOf(perClass);
    }

    /** A rule's outcome on one comparison. */
    public enum Verdict {
        PASS, FAIL, NOT_ENOUGH_DATA
    }

    /**
     * Candidate and production on the same images.
     *
     * @param label              the class; null for the overall comparison
     * @param images             paired test images (of the class)
     * @param gained             images the candidate gets right and production wrong
     * @param lost               images production gets right and the candidate wrong
     * @param difference         candidate accuracy minus production accuracy, {@code (gained - lost) / images}
     * @param lower              lower bound of the difference's interval
     * @param upper              upper bound of the difference's interval
     * @param pValue             exact McNemar p-value on the discordant pairs ({@code gained + lost})
     */
    public record Comparison(String label, Integer images, Double productionAccuracy, Double candidateAccuracy,
                             Integer gained, Integer lost, Double difference, Double lower, Double upper,
                             Double pValue, Verdict verdict) {
    }
}
