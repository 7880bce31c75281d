package io.stagetune.evaluator.config;

import io.quarkus.test.common.WithTestResource;
import io.stagetune.testsupport.KafkaTestResource;
import io.stagetune.testsupport.S3TestResource;

import io.quarkus.test.junit.QuarkusTest;
import io.stagetune.evaluator.promotion.PairedPolicy;
import io.stagetune.evaluator.promotion.PromotionPolicy;
import io.stagetune.evaluator.promotion.ThresholdPolicy;
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
    void thePairedGateIsTheDefaultWithTheThresholdsPolicyStillConfigured() {
        assertThat(policy).isInstanceOf(PairedPolicy.class);
        assertThat(policy.toString()).isEqualTo(PairedPolicy.defaults().toString());
        assertThat(config.promotion().significance()).isEqualTo(PairedPolicy.DEFAULT_SIGNIFICANCE);
        assertThat(config.promotion().minEffect()).isEqualTo(PairedPolicy.DEFAULT_MIN_EFFECT);
        assertThat(config.promotion().minClassImages()).isEqualTo(PairedPolicy.DEFAULT_MIN_CLASS_IMAGES);
        assertThat(config.promotion().minImprovement()).isEqualTo(ThresholdPolicy.DEFAULT_MIN_IMPROVEMENT);
        assertThat(config.promotion().maxClassDrop()).isEqualTo(ThresholdPolicy.DEFAULT_MAX_CLASS_DROP);
        assertThat(config.batchSize()).isEqualTo(32);
    }
}
