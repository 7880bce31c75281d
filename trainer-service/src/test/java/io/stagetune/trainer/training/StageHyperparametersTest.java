package io.stagetune.trainer.training;

import io.stagetune.common.events.Stage;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The epoch rule and what a stage runs for a given number of training images. */
class StageHyperparametersTest {

    @Test
    void theDefaultRuleGivesMoreDataMoreStepsButFewerPasses() {
        StageHyperparameters full = StageHyperparameters.forStage(Stage.FULL);
        // 10 epochs at 10,000 images, sqrt(10,000 / n) times that, within [2, maxEpochs = 10].
        assertThat(full.epochsFor(500)).isEqualTo(10);
        assertThat(full.epochsFor(10_000)).isEqualTo(10);
        assertThat(full.epochsFor(15_000)).isEqualTo(8);
        assertThat(full.epochsFor(40_000)).isEqualTo(5);
        assertThat(full.epochsFor(160_000)).isEqualTo(3);
        assertThat(full.epochsFor(1_000_000)).isEqualTo(2);
        long previousSteps = 0;
        for (int images : new int[] {10_000, 40_000, 160_000}) {
            int epochs = full.epochsFor(images);
            long steps = epochs * (long) Math.ceil(images / (double) full.batchSize());
            assertThat(steps).as("steps at %d images", images).isGreaterThan(previousSteps);
            previousSteps = steps;
        }
    }

    @Test
    void configurationMovesTheRuleOrTurnsItOff() {
        StageHyperparameters small = StageHyperparameters.forStage(Stage.HEAD,
                Map.of("referenceImages", "1000", "referenceEpochs", "6", "maxEpochs", "20", "minEpochs", "3"));
        assertThat(small.epochsFor(250)).isEqualTo(12);
        assertThat(small.epochsFor(1_000)).isEqualTo(6);
        assertThat(small.epochsFor(9_000)).isEqualTo(3);
        assertThat(small.epochsFor(50_000)).as("at least minEpochs").isEqualTo(3);
        StageHyperparameters fixed = StageHyperparameters.forStage(Stage.HEAD,
                Map.of("referenceEpochs", "0", "maxEpochs", "7"));
        assertThat(fixed.epochsFor(100)).isEqualTo(7);
        assertThat(fixed.epochsFor(1_000_000)).isEqualTo(7);
        assertThat(StageHyperparameters.forStage(Stage.HEAD, Map.of("maxEpochs", "1")).epochsFor(1_000_000))
                .as("maxEpochs wins over minEpochs").isEqualTo(1);
    }

    @Test
    void aStageRunsTheChosenEpochsWithItsScheduleAndFactorFoldedIn() {
        StageHyperparameters configured = StageHyperparameters.forStage(Stage.LAYER4,
                Map.of("learningRateStepFraction", "0.67", "learningRateFactor", "0.5"));
        StageHyperparameters run = configured.forTrainingImages(40_000);
        assertThat(run.maxEpochs()).isEqualTo(5);
        assertThat(run.learningRateStepEpochs()).as("the step after 2/3 of 5 epochs").isEqualTo(3);
        assertThat(run.learningRateScale(3)).isEqualTo(1f);
        assertThat(run.learningRateScale(4)).isEqualTo(0.1f);
        assertThat(run.headLearningRate()).isEqualTo(5e-4f);
        assertThat(run.backboneLearningRate()).isEqualTo(5e-5f);
        assertThat(run.forTrainingImages(40_000)).as("resolving twice changes nothing").isEqualTo(run);
        assertThat(configured.forTrainingImages(1_000).learningRateStepEpochs()).isEqualTo(7);
        assertThat(StageHyperparameters.forStage(Stage.LAYER4, Map.of("learningRateStepFraction", "0.67",
                "learningRateStepEpochs", "2")).forTrainingImages(1_000).learningRateStepEpochs())
                .as("a fixed step wins").isEqualTo(2);
        assertThat(StageHyperparameters.forStage(Stage.HEAD).forTrainingImages(500))
                .as("the defaults on a small dataset: today's recipe")
                .isEqualTo(StageHyperparameters.forStage(Stage.HEAD, Map.of("referenceEpochs", "0")));
    }

    @Test
    void nonsenseIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> StageHyperparameters.forStage(Stage.FULL, Map.of("learningRateFactor", "0")))
                .hasMessageContaining("learningRateFactor");
        assertThatThrownBy(() -> StageHyperparameters.forStage(Stage.FULL, Map.of("learningRateStepFraction", "1")))
                .hasMessageContaining("learningRateStepFraction");
        assertThatThrownBy(() -> StageHyperparameters.forStage(Stage.FULL, Map.of("minEpochs", "0")))
                .hasMessageContaining("minEpochs");
    }
}
