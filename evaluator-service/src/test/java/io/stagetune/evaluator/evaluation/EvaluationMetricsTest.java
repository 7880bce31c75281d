package io.stagetune.evaluator.evaluation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluationMetricsTest {

    private static final List<String> LABELS = List.of("a", "b", "c", "d", "e");

    /**
     * true \ predicted   a  b  c  d  e
     * a                  3  1  0  0  0
     * b                  1  2  1  0  0
     * c                  2  0  0  1  0
     * d, e: no test images; d is predicted once, e never.
     */
    private static EvaluationMetrics handMade() {
        List<int[]> pairs = new ArrayList<>();
        add(pairs, 0, 0, 3);
        add(pairs, 0, 1, 1);
        add(pairs, 1, 1, 2);
        add(pairs, 1, 0, 1);
        add(pairs, 1, 2, 1);
        add(pairs, 2, 0, 2);
        add(pairs, 2, 3, 1);
        return EvaluationMetrics.of(LABELS, pairs.stream().mapToInt(p -> p[0]).toArray(),
                pairs.stream().mapToInt(p -> p[1]).toArray());
    }

    @Test
    void countsTheConfusionMatrixWithTrueLabelsAsRows() {
        ConfusionMatrix matrix = handMade().confusionMatrix();

        assertThat(matrix.labels()).isEqualTo(LABELS);
        assertThat(matrix.counts()).containsExactly(
                List.of(3, 1, 0, 0, 0),
                List.of(1, 2, 1, 0, 0),
                List.of(2, 0, 0, 1, 0),
                List.of(0, 0, 0, 0, 0),
                List.of(0, 0, 0, 0, 0));
        assertThat(matrix.count("c", "d")).isEqualTo(1);
        assertThat(matrix.count("b", "a")).isEqualTo(1);
    }

    @Test
    void computesAccuracyAndPerClassFigures() {
        EvaluationMetrics metrics = handMade();

        assertThat(metrics.imagesEvaluated()).isEqualTo(11);
        assertThat(metrics.correct()).isEqualTo(5);
        assertThat(metrics.accuracy()).isCloseTo(5.0 / 11, within(1e-12));
        assertClass(metrics, "a", 4, 6, 3, 0.75, 0.5, 0.6);
        assertClass(metrics, "b", 4, 3, 2, 0.5, 2.0 / 3, 4.0 / 7);
        assertClass(metrics, "c", 3, 1, 0, 0, 0, 0);
        assertThat(metrics.perClassAccuracy()).containsExactly(
                Map.entry("a", 0.75), Map.entry("b", 0.5), Map.entry("c", 0.0),
                Map.entry("d", 0.0), Map.entry("e", 0.0));
    }

    @Test
    void givesZeroWhereARatioIsUndefined() {
        EvaluationMetrics metrics = handMade();

        // d: predicted once, never present; e: neither present nor predicted.
        assertClass(metrics, "d", 0, 1, 0, 0, 0, 0);
        assertClass(metrics, "e", 0, 0, 0, 0, 0, 0);
    }

    @Test
    void averagesOverTheClassesThatHaveTestImages() {
        EvaluationMetrics metrics = handMade();

        assertThat(metrics.macroPrecision()).isCloseTo((0.5 + 2.0 / 3 + 0) / 3, within(1e-12));
        assertThat(metrics.macroRecall()).isCloseTo((0.75 + 0.5 + 0) / 3, within(1e-12));
        assertThat(metrics.macroF1()).isCloseTo((0.6 + 4.0 / 7 + 0) / 3, within(1e-12));
    }

    @Test
    void isDeterministicAndIndependentOfTheOrderOfPairs() {
        EvaluationMetrics forward = handMade();
        EvaluationMetrics reversed = EvaluationMetrics.of(LABELS,
                new int[] {2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0}, new int[] {3, 0, 0, 2, 0, 1, 1, 1, 0, 0, 0});

        assertThat(reversed).isEqualTo(forward);
    }

    @Test
    void anEmptyEvaluationIsAllZero() {
        EvaluationMetrics metrics = EvaluationMetrics.of(List.of("a", "b"), new int[0], new int[0]);

        assertThat(metrics.imagesEvaluated()).isZero();
        assertThat(metrics.accuracy()).isZero();
        assertThat(metrics.macroF1()).isZero();
        assertThat(metrics.perClass()).allSatisfy(c -> assertThat(c.support()).isZero());
    }

    @Test
    void rejectsIndicesOutsideTheLabelsAndUnpairedInputs() {
        assertThatThrownBy(() -> EvaluationMetrics.of(List.of("a"), new int[] {0}, new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 0..0");
        assertThatThrownBy(() -> EvaluationMetrics.of(List.of("a"), new int[] {0, 0}, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertClass(EvaluationMetrics metrics, String label, int support, int predicted, int correct,
                                    double accuracy, double precision, double f1) {
        ClassMetrics figures = metrics.forClass(label).orElseThrow();
        assertThat(figures.support()).as(label + " support").isEqualTo(support);
        assertThat(figures.predicted()).as(label + " predicted").isEqualTo(predicted);
        assertThat(figures.correct()).as(label + " correct").isEqualTo(correct);
        assertThat(figures.accuracy()).as(label + " accuracy").isCloseTo(accuracy, within(1e-12));
        assertThat(figures.recall()).as(label + " recall").isEqualTo(figures.accuracy());
        assertThat(figures.precision()).as(label + " precision").isCloseTo(precision, within(1e-12));
        assertThat(figures.f1()).as(label + " f1").isCloseTo(f1, within(1e-12));
    }

    private static void add(List<int[]> pairs, int trueLabel, int predicted, int times) {
        for (int i = 0; i < times; i++) {
            pairs.add(new int[] {trueLabel, predicted});
        }
    }
}
