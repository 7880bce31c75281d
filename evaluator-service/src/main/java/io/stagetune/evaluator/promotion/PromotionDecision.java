package io.stagetune.evaluator.promotion;

import io.stagetune.common.registry.PromotionStatistics;

import java.util.List;
import java.util.Set;

/**
 * What the policy decided for a candidate and why: one human-readable reason per check, with its numbers.
 *
 * @param production the production version compared with, null when there was none
 * @param rejections why the candidate was not promoted (empty when promoted), for metrics and queries
 * @param statistics the paired comparison behind the decision; null when the policy made none
 */
public record PromotionDecision(boolean promoted, String candidate, String production, List<String> reasons,
                                Set<Rejection> rejections, PromotionStatistics statistics) {

    public enum Rejection {
        /** Accuracy does not beat production's by min-improvement. */
        INSUFFICIENT_IMPROVEMENT,
        /** The paired test does not show the candidate better at the configured significance. */
        NOT_SIGNIFICANT,
        /** A class production knows lost more than max-class-drop. */
        CLASS_REGRESSION,
        /** The candidate is the production version already. */
        ALREADY_PRODUCTION
    }

    public PromotionDecision(boolean promoted, String candidate, String production, List<String> reasons,
                             Set<Rejection> rejections) {
        this(promoted, candidate, production, reasons, rejections, null);
    }

    public PromotionDecision {
        reasons = List.copyOf(reasons);
        rejections = Set.copyOf(rejections);
        if (promoted != rejections.isEmpty()) {
            throw new IllegalArgumentException("a decision is promoted exactly when nothing rejects it");
        }
    }
}
