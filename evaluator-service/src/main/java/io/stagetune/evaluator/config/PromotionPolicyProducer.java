package io.stagetune.evaluator.config;

import io.stagetune.evaluator.promotion.PairedPolicy;
import io.stagetune.evaluator.promotion.PromotionPolicy;
import io.stagetune.evaluator.promotion.ThresholdPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The promotion policy {@code evaluator.promotion.policy} names, with its configured thresholds. */
@ApplicationScoped
public class PromotionPolicyProducer {

    // Singleton, not ApplicationScoped: the policy is immutable, so it needs no client proxy.
    @Produces
    @Singleton
    PromotionPolicy promotionPolicy(EvaluatorConfig config) {
        EvaluatorConfig.Promotion promotion = config.promotion();
        return switch (promotion.policy()) {
            case "paired" -> new PairedPolicy(promotion.significance(), promotion.minEffect(),
                    promotion.maxClassDrop(), promotion.minClassImages());
            case "thresholds" -> new ThresholdPolicy(promotion.minImprovement(), promotion.maxClassDrop());
            default -> throw new IllegalArgumentException("evaluator.promotion.policy '" + promotion.policy()
                    + "' is not one of paired, thresholds");
        };
    }
}
