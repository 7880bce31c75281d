package io.stagetune.evaluator.evaluation;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointEvaluatorTest {

    @Test
    void testLabelsTheModelDoesNotKnowFollowItsLabelsInNameOrder() {
        List<LabelledImage> images = List.of(image("b"), image("zebra"), image("a"), image("okapi"), image("zebra"));

        assertThat(CheckpointEvaluator.matrixLabels(List.of("b", "a", "c"), images))
                .containsExactly("b", "a", "c", "okapi", "zebra");
    }

    @Test
    void refusesAnEmptySplitAndANonPositiveBatchSize() {
        assertThatThrownBy(() -> new CheckpointEvaluator(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CheckpointEvaluator(8).evaluate(null, new TestSplit("shop", 1), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shop v1 test has no images");
    }

    private static LabelledImage image(String label) {
        return new LabelledImage(Path.of(label + ".png"), label);
    }
}
