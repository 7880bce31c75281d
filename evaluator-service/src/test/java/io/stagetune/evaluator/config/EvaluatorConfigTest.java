package io.stagetune.evaluator.config;

import io.quarkus.test.common.WithTestResource;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;

import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.evaluator.promotion.PromotionPolicy;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(S3TestResource.class)
class EvaluatorConfigTest {

    @Inject
    EvaluatorConfig config;

    @Inject
    PromotionPolicy policy;

    @Test
    void promotionThresholdsDefaultToOnePointOverallAndFivePointsPerClass() {
        assertThat(config.promotion().minImprovement()).isEqualTo(PromotionPolicy.DEFAULT_MIN_IMPROVEMENT);
        assertThat(config.promotion().maxClassDrop()).isEqualTo(PromotionPolicy.DEFAULT_MAX_CLASS_DROP);
        assertThat(config.batchSize()).isEqualTo(32);
        assertThat(policy.toString()).contains("0.01").contains("0.05");
    }
}
