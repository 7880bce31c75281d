package io.stagetune.localstack.cli.format;

import io.stagetune.common.registry.Metrics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClassMetricsTableTest {

    @Test
    void listsEachClassThenTheMacroAveragesAndTheOverallAccuracy() {
        Metrics metrics = new Metrics(0.9166667, 0.9193603, 0.9166667, 0.9164935, 60, List.of(
                new Metrics.ClassMetrics("T-shirt/top", 0.85, 0.9444444, 0.85, 0.8947368, 20L),
                new Metrics.ClassMetrics("Trouser", 0.95, 0.95, 0.95, 0.95, 20L),
                new Metrics.ClassMetrics("Ankle boot", 0.95, 0.8636364, 0.95, 0.9047619, 20L)), List.of());

        assertThat(ClassMetricsTable.render(metrics, "  ")).isEqualTo("""
                  label          accuracy  precision     F1  images
                  T-shirt/top       0.850      0.944  0.895      20
                  Trouser           0.950      0.950  0.950      20
                  Ankle boot        0.950      0.864  0.905      20
                  -------------------------------------------------
                  macro average     0.917      0.919  0.916      60
                  overall accuracy 0.917
                """);
    }

    @Test
    void showsUnknownValuesAsDashesAndCountsImagesFromTheClassesWhenTheTotalIsMissing() {
        Metrics metrics = new Metrics(null, null, null, null, null, List.of(
                new Metrics.ClassMetrics("bag", 0.5, null, 0.5, null, 4L),
                new Metrics.ClassMetrics("coat", null, null, null, null, 6L)), List.of());

        assertThat(ClassMetricsTable.render(metrics, "")).contains("bag               0.500          -   -       4")
                .contains("macro average         -          -   -      10").endsWith("overall accuracy -\n");
    }
}
