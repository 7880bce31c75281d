package io.stagetune.registry.service;

import io.stagetune.common.registry.Metrics;
import io.stagetune.registry.api.LiveFigures;
import io.stagetune.registry.client.IngestClient;
import io.stagetune.registry.console.Pages;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The decision page's live section: production's test-split figures beside its figures on live traffic. */
class LiveSectionTest {

    private static final Metrics PRODUCTION = new Metrics(0.93, null, null, null, 1000, List.of(
            new Metrics.ClassMetrics("bag", 0.95, null, 0.95, null, 500L),
            new Metrics.ClassMetrics("coat", 0.91, null, 0.91, null, 500L)), List.of());

    @Test
    void aTestFigureOutsideTheLiveIntervalIsMarkedAsDrift() {
        LiveFigures figures = new LiveFigures("fashion", 3, 200, 170, 0.85, new double[] {0.79, 0.89}, List.of(
                new LiveFigures.ClassLine("bag", 100, 94, 0.94, new double[] {0.88, 0.97}, 98, 0.96),
                new LiveFigures.ClassLine("coat", 100, 76, 0.76, new double[] {0.67, 0.83}, 102, 0.75)));

        Pages.Live live = ConsoleService.live(3, PRODUCTION, new IngestClient.Live(figures, null));

        assertThat(live.note()).isNull();
        assertThat(live.rows()).extracting(Pages.LiveRow::label).containsExactly("whole model", "bag", "coat");
        Pages.LiveRow whole = live.rows().get(0);
        assertThat(whole.test()).isEqualTo("0.930");
        assertThat(whole.live()).isEqualTo("0.850");
        assertThat(whole.drift()).isEqualTo("-0.080");
        assertThat(whole.outcome()).isEqualTo("fail");
        assertThat(live.rows().get(1).outcome()).isEqualTo("pass");
        assertThat(live.rows().get(1).labels()).isEqualTo("100");
        assertThat(live.rows().get(2).outcome()).isEqualTo("fail");
        assertThat(live.rows().get(2).interval()).isEqualTo("[0.670, 0.830]");
    }

    @Test
    void withoutAuditLabelsThePageSaysWhy() {
        Pages.Live live = ConsoleService.live(3, PRODUCTION, new IngestClient.Live(null,
                "no audit labels of version 3 yet"));
        assertThat(live.rows()).isEmpty();
        assertThat(live.note()).isEqualTo("no audit labels of version 3 yet");
    }
}
