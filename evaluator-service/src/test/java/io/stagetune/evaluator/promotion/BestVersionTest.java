package io.stagetune.evaluator.promotion;

import io.stagetune.common.events.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.stagetune.evaluator.promotion.Versions.SPLIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BestVersionTest {

    private static final List<String> AB = List.of("a", "b");

    @Test
    void picksTheHighestValidationAccuracyEvenWhenAnotherStageTestsBetter() {
        EvaluatedVersion head = Versions.version("head", Stage.HEAD, 0.70, SPLIT, AB, "a=9/10", "b=9/10");
        EvaluatedVersion layer4 = Versions.version("layer4", Stage.LAYER4, 0.80, SPLIT, AB, "a=8/10", "b=8/10");
        EvaluatedVersion full = Versions.version("full", Stage.FULL, 0.75, SPLIT, AB, "a=8/10", "b=8/10");

        assertThat(BestVersion.of(List.of(head, layer4, full)).id()).isEqualTo("layer4");
    }

    @Test
    void breaksTiesByTestAccuracyThenByTheLaterStage() {
        EvaluatedVersion head = Versions.version("head", Stage.HEAD, 0.80, SPLIT, AB, "a=8/10", "b=8/10");
        EvaluatedVersion layer4 = Versions.version("layer4", Stage.LAYER4, 0.80, SPLIT, AB, "a=9/10", "b=8/10");
        EvaluatedVersion full = Versions.version("full", Stage.FULL, 0.80, SPLIT, AB, "a=8/10", "b=9/10");
        EvaluatedVersion headAgain = Versions.version("head", Stage.HEAD, 0.80, SPLIT, AB, "a=8/10", "b=9/10");

        assertThat(BestVersion.of(List.of(head, layer4)).id()).isEqualTo("layer4");
        assertThat(BestVersion.of(List.of(full, layer4, head)).id()).isEqualTo("full");
        assertThat(BestVersion.of(List.of(full, headAgain)).id()).isEqualTo("full");
    }

    @Test
    void theLatestStageWithinOneStandardErrorOfTheBestIsTheCandidate() {
        // A warm-started run of the full-dataset demo on an earlier build: HEAD 0.967, FULL 0.963 on 1,000 validation
        // images (SE 0.0056), FULL 0.6 points better on the test split.
        EvaluatedVersion head = Versions.version("head", Stage.HEAD, 0.967, SPLIT, AB, "a=9/10", "b=9/10");
        EvaluatedVersion layer4 = Versions.version("layer4", Stage.LAYER4, 0.966, SPLIT, AB, "a=9/10", "b=9/10");
        EvaluatedVersion full = Versions.version("full", Stage.FULL, 0.963, SPLIT, AB, "a=8/10", "b=9/10");

        assertThat(BestVersion.of(List.of(head, layer4, full), 1000, 1).id()).isEqualTo("full");
        assertThat(BestVersion.of(List.of(full, head, layer4), 1000, 1).id()).as("whatever the order")
                .isEqualTo("full");
        assertThat(BestVersion.of(List.of(head, layer4), 1000, 1).id()).isEqualTo("layer4");
        assertThat(BestVersion.of(List.of(head, layer4, full), 1000, 0).id()).as("0: the plain best").isEqualTo("head");
        assertThat(BestVersion.of(List.of(head, layer4, full), 0, 1).id()).as("size unknown").isEqualTo("head");
    }

    @Test
    void aLeadBeyondTheNoiseKeepsTheEarlierStage() {
        EvaluatedVersion head = Versions.version("head", Stage.HEAD, 0.967, SPLIT, AB, "a=9/10", "b=9/10");
        EvaluatedVersion full = Versions.version("full", Stage.FULL, 0.960, SPLIT, AB, "a=9/10", "b=9/10");

        // One SE of 0.967 is 0.0056 on 1,000 images and 0.0025 on 5,000: a 0.7-point lead is beyond it either way.
        assertThat(BestVersion.of(List.of(head, full), 1000, 1).id()).isEqualTo("head");
        assertThat(BestVersion.of(List.of(head, full), 5000, 1).id()).isEqualTo("head");
        // Two SEs on 1,000 images (0.0113) cover it.
        assertThat(BestVersion.of(List.of(head, full), 1000, 2).id()).isEqualTo("full");
        // 100 validation images resolve nothing finer than 1.8 points.
        assertThat(BestVersion.of(List.of(head, full), 100, 1).id()).isEqualTo("full");
    }

    @Test
    void aRunWithoutEvaluatedStagesHasNoBestVersion() {
        assertThatThrownBy(() -> BestVersion.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
