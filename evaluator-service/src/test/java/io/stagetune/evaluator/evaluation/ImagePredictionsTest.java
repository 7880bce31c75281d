package io.stagetune.evaluator.evaluation;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImagePredictionsTest {

    private static final TestSplit SPLIT = new TestSplit("shop", 2);

    @Test
    void storedPredictionsReadBackAsTheyWereAndYieldTheSameMetrics() {
        ImagePredictions predictions = ImagePredictions.of(SPLIT, List.of("bag", "coat", "new"),
                List.of("aa11", "bb22", "cc33", "dd44"), new int[] {0, 1, 1, 2}, new int[] {0, 1, 0, 1});

        byte[] stored = predictions.toGzipJson();
        ImagePredictions read = ImagePredictions.fromGzipJson(stored);

        assertThat(read).isEqualTo(predictions);
        assertThat(read.testSplit()).isEqualTo(SPLIT);
        assertThat(read.trueLabel(2)).isEqualTo("coat");
        assertThat(read.correct(1)).isTrue();
        assertThat(read.correct(2)).isFalse();
        assertThat(read.metrics()).isEqualTo(EvaluationMetrics.of(List.of("bag", "coat", "new"),
                new int[] {0, 1, 1, 2}, new int[] {0, 1, 0, 1}));
        assertThat(read.metrics().accuracy()).isEqualTo(0.5);
    }

    @Test
    void unreadableOrInconsistentPredictionsAreRefused() {
        assertThatThrownBy(() -> ImagePredictions.fromGzipJson("not gzip".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not gzipped JSON");
        assertThatThrownBy(() -> ImagePredictions.of(SPLIT, List.of("bag"), List.of("aa11"), new int[] {0},
                new int[] {3})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("aa11");
        assertThatThrownBy(() -> ImagePredictions.of(SPLIT, List.of("bag"), List.of("aa11", "bb22"), new int[] {0},
                new int[] {0})).isInstanceOf(IllegalArgumentException.class);
    }
}
