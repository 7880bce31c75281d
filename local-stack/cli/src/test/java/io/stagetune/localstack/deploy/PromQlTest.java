package io.stagetune.localstack.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlTest {

    @Test
    void keepsSeriesAndDropsFunctionsMatchersRangesAndGrouping() {
        assertThat(PromQl.seriesNames("sum by (model, stage) (increase(trainer_stage_duration_seconds_sum"
                + "{model=~\"$model\"}[$__range])) / sum without(x) (rate(trainer_stage_duration_seconds_count[5m] "
                + "offset 1h))"))
                .containsExactly("trainer_stage_duration_seconds_sum", "trainer_stage_duration_seconds_count");
        assertThat(PromQl.seriesNames("label_replace(up{job=\"a\"}, \"group\", \"x\", \"topic\", \"y\") > 0.5e3"
                + " and on() stagetune:consumer_group_lag:sum == bool 1"))
                .containsExactly("up", "stagetune:consumer_group_lag:sum");
        assertThat(PromQl.seriesNames("a - ignoring(role) b")).containsExactly("a", "b");
    }

    @Test
    void readsTheSeriesOfALabelValuesVariable() {
        assertThat(PromQl.variableSeriesNames("label_values(trainer_epochs_total{model=~\"$model\"}, stage)"))
                .containsExactly("trainer_epochs_total");
    }
}
