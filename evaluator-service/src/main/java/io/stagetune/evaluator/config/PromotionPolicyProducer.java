package io.stagetune.evaluator.config;

import io.stagetune.evaluator.promotion.PromotionPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The promotion policy with the configured thresholds. */
@ApplicationScoped
public class PromotionPolicyProducer {

    // Singleton, not ApplicationScoped: the policy is immutable and final, so it needs no client proxy.
    @Produces
    @Singleton
    PromotionPolicy promotionPolicy(EvaluatorConfig config) {
        return new PromotionPolicy(config.promotion().minImprovement(), config.promotion().maxClassDrop());
    }
}
