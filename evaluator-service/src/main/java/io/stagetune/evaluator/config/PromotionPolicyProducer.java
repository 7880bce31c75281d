package io.stagetune.evaluator.config;

import io.stagetune.evaluator.promotion.PromotionPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The promotion policy with the configured thresholds. */
@ApplicationScoped
public class PromotionPolicyProducer {

    @Produces
    @ApplicationScoped
    PromotionPolicy promotionPolicy(EvaluatorConfig config) {
        return new PromotionPolicy(config.promotion().minImprovement(), config.promotion().maxClassDrop());
    }
}
