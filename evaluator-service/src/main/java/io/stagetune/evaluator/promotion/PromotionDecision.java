package io.stagetune.evaluator.promotion;

import java.util.List;
import java.util.Set;

/**
 * What the policy decided for a candidate and why: one human-readable reason per check, with its numbers.
 *
 * @param production the production version compared with, null when there was none
 * @param rejections why the candidate was not promoted (empty when promoted), for metrics and queries
 */
public record PromotionDecision(boolean promoted, String candidate, String production, List<String> reasons,
                                Set<Rejection> rejections) {

    public enum Rejection {
        /** Accuracy does not beat production's by min-improvement. */
        INSUFFICIENT_IMPROVEMENT,
        /** A class production knows lost more than max-class-drop. */
        CLASS_REGRESSION,
        /** The candidate is the production version already. */
        ALREADY_PRODUCTION
    }

    public PromotionDecision {
        reasons = List.copyOf(reasons);
        rejections = Set.copyOf(rejections);
        if (promoted != rejections.isEmpty()) {
            throw new IllegalArgumentException("a decision is promoted exactly when nothing rejects it");
        }
    }
}
