package io.stagetune.evaluator.promotion;

import io.stagetune.evaluator.promotion.PromotionDecision.Rejection;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a candidate becomes production ({@code evaluator.promotion.policy}): {@link PairedPolicy} (the
 * default) or {@link ThresholdPolicy}. Pure: the same versions always yield the same decision.
 */
public interface PromotionPolicy {

    /** The policy's name in configuration and in stored statistics. */
    String name();

    /**
     * Promotes when there is no production version yet, rejects a candidate that is production already, and
     * otherwise {@link #compare compares} the two.
     *
     * @param production the version {@code production} points at, empty when it points nowhere yet
     * @throws IllegalArgumentException when the two cannot be compared (other test splits, missing predictions)
     */
    default PromotionDecision decide(EvaluatedVersion candidate, Optional<EvaluatedVersion> production) {
        return withoutComparison(candidate, production).orElseGet(() -> compare(candidate, production.get()));
    }

    /** The decision on a candidate that is not production, against production. */
    PromotionDecision compare(EvaluatedVersion candidate, EvaluatedVersion production);

    /**
     * The decisions every policy takes without comparing: promote when there is no production version yet, reject
     * a candidate that is production already; empty when the two must be compared.
     */
    private static Optional<PromotionDecision> withoutComparison(EvaluatedVersion candidate,
                                                         Optional<EvaluatedVersion> production) {
        if (production.isEmpty()) {
            return Optional.of(new PromotionDecision(true, candidate.id(), null,
                    List.of(String.format(Locale.ROOT, "no production version yet: accuracy %.3f on %s",
                            candidate.metrics().accuracy(), candidate.testSplit())), Set.of()));
        }
        if (production.get().id().equals(candidate.id())) {
            return Optional.of(new PromotionDecision(false, candidate.id(), candidate.id(),
                    List.of("candidate " + candidate.id() + " is production already"),
                    Set.of(Rejection.ALREADY_PRODUCTION)));
        }
        return Optional.empty();
    }
}
