package io.stagetune.localstack.cli.format;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfusionMatrixFormatTest {

    @Test
    void shortLabelsHeadTheirColumns() {
        String text = ConfusionMatrixFormat.render(List.of("bag", "coat"),
                List.of(List.of(9L, 1L), List.of(120L, 3L)), "");

        assertThat(text).isEqualTo("""
                true \\ predicted  bag  coat
                bag                 9     1
                coat              120     3
                """);
    }

    @Test
    void longLabelsAreNumberedWithTheNamesOnTheRowsAsTheLegend() {
        List<String> labels = List.of("T-shirt/top", "Trouser", "Ankle boot");
        String text = ConfusionMatrixFormat.render(labels,
                List.of(List.of(17L, 1L, 2L), List.of(0L, 19L, 1L), List.of(1L, 0L, 19L)), "  ");

        assertThat(text).isEqualTo("""
                  true \\ predicted   1   2   3
                  1 T-shirt/top     17   1   2
                  2 Trouser          0  19   1
                  3 Ankle boot       1   0  19
                """);
    }

    @Test
    void numbersAreAlignedPastNineLabels() {
        List<String> labels = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "a long label");
        List<List<Long>> matrix = labels.stream().map(label -> labels.stream().map(other -> 0L).toList()).toList();

        String text = ConfusionMatrixFormat.render(labels, matrix, "");

        assertThat(text.lines()).element(1).asString().startsWith(" 1 a ");
        assertThat(text.lines()).element(10).asString().startsWith("10 a long label");
        assertThat(text.lines().findFirst()).hasValue("true \\ predicted  1  2  3  4  5  6  7  8  9  10");
    }

    @Test
    void saysSoWhenNoMatrixWasRecordedAndRefusesOneThatDoesNotFitTheLabels() {
        assertThat(ConfusionMatrixFormat.render(List.of("bag"), List.of(), "  "))
                .isEqualTo("  (no confusion matrix recorded)\n");
        assertThatThrownBy(() -> ConfusionMatrixFormat.render(List.of("bag", "coat"), List.of(List.of(1L, 2L)), ""))
                .hasMessage("confusion matrix is not 2 x 2 for the labels [bag, coat]");
    }
}
