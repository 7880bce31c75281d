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
    void aRunWithoutEvaluatedStagesHasNoBestVersion() {
        assertThatThrownBy(() -> BestVersion.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
