package io.stagetune.localstack.cli.format;

import io.stagetune.common.registry.Metrics;
import io.stagetune.localstack.cli.client.LiveFigures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LiveFiguresTableTest {

    private static final Metrics TEST_SPLIT = new Metrics(0.934, null, null, null, 300, List.of(
            new Metrics.ClassMetrics("bag", 0.95, 0.96, 0.95, 0.955, 100L),
            new Metrics.ClassMetrics("sandal", 0.93, 0.9, 0.93, 0.915, 100L),
            new Metrics.ClassMetrics("shirt", 0.92, 0.91, 0.92, 0.915, 100L)), List.of());

    private static LiveFigures live(long version, int labels, int correct, double accuracy,
                                    LiveFigures.Shadow shadow, LiveFigures.ClassFigures... classes) {
        return new LiveFigures("fashion", version, 500, labels, correct, accuracy, List.of(accuracy - 0.1, 0.99),
                List.of(classes), null, shadow);
    }

    @Test
    void everyLineStartsWithLiveAndEachClassHasItsIntervalBesideTheTestSplitAccuracy() {
        LiveFigures live = live(3, 20, 18, 0.9, null,
                new LiveFigures.ClassFigures("bag", 10, 10, 1.0, List.of(0.7225, 1.0), 11, 0.909),
                new LiveFigures.ClassFigures("sandal", 10, 8, 0.8, List.of(0.4902, 0.9433), 9, 0.889));

        assertThat(LiveFiguresTable.render(live, TEST_SPLIT)).isEqualTo("""
                live  version 3: accuracy 0.900 [0.800, 0.990] on the newest 20 audit labels (18 right, window 500); \
                test split 0.934
                live  class   labels  right  live recall  interval        precision  test v3
                live  bag         10     10        1.000  [0.723, 1.000]      0.909    0.950
                live  sandal      10      8        0.800  [0.490, 0.943]      0.889    0.930
                live  shirt        0      0            -  -                       -    0.920
                """);
    }

    @Test
    void aShadowVersionGetsItsAgreementAndItsOwnAccuracyAndUnknownTestFiguresAreDashes() {
        LiveFigures live = live(3, 1, 1, 1.0, new LiveFigures.Shadow(4, 60, 0.95, List.of(), 1, 1, 1.0,
                        List.of(0.2065, 1.0)),
                new LiveFigures.ClassFigures("bag", 1, 1, 1.0, List.of(0.2065, 1.0), 1, 1.0));

        assertThat(LiveFiguresTable.render(live, null))
                .startsWith("live  version 3: accuracy 1.000 [0.900, 0.990] on the newest 1 audit label (1 right,"
                        + " window 500)\n")
                .contains("live  bag         1      1        1.000  [0.207, 1.000]      1.000        -\n")
                .endsWith("live  shadow version 4: agrees with version 3 on 0.950 of 60 predictions; accuracy 1.000"
                        + " [0.207, 1.000] on 1 audit labels\n");
    }

    @Test
    void comparesTwoVersionsClassByClassWithTheChange() {
        LiveFigures before = live(3, 20, 17, 0.85, null,
                new LiveFigures.ClassFigures("bag", 10, 9, 0.9, List.of(), 9, 1.0),
                new LiveFigures.ClassFigures("sandal", 10, 8, 0.8, List.of(), 11, 0.727));
        LiveFigures after = live(5, 22, 21, 0.9545, null,
                new LiveFigures.ClassFigures("bag", 12, 12, 1.0, List.of(), 12, 1.0),
                new LiveFigures.ClassFigures("shirt", 10, 9, 0.9, List.of(), 10, 0.9));

        String text = LiveFiguresTable.compare(before, after);

        assertThat(text.lines()).allSatisfy(line -> assertThat(line).startsWith("live  "));
        assertThat(text).isEqualTo("""
                live  before: version 3, accuracy 0.850 [0.750, 0.990] on 20 audit labels
                live  after : version 5, accuracy 0.955 [0.855, 0.990] on 22 audit labels
                live  class     labels     v3  labels     v5  change
                live  bag           10  0.900      12  1.000  +0.100
                live  shirt          0      -      10  0.900
                live  sandal        10  0.800       0      -
                live  ----------------------------------------------
                live  accuracy      20  0.850      22  0.955  +0.105
                """);
    }

    @Test
    void theSameVersionBeforeAndAfterIsNamedSo() {
        LiveFigures before = live(3, 5, 4, 0.8, null);
        LiveFigures after = live(3, 9, 8, 0.889, null);

        assertThat(LiveFiguresTable.compare(before, after)).contains("live  class     labels  before  labels  after"
                + "  change\n");
    }
}
