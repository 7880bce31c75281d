package io.stagetune.localstack.cli.format;

import io.stagetune.common.events.Stage;
import io.stagetune.common.registry.AliasMoveView;
import io.stagetune.common.registry.Metrics;
import io.stagetune.common.registry.MoveResult;
import io.stagetune.common.registry.PromotionStatistics;
import io.stagetune.common.registry.PromotionStatistics.Comparison;
import io.stagetune.common.registry.PromotionStatistics.Verdict;
import io.stagetune.common.registry.PromotionView;
import io.stagetune.common.registry.VersionView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VersionReportTest {

    private static final Instant T0 = Instant.parse("2026-11-22T21:03:11.123456Z");
    private static final String BASE = "s3://checkpoints/_backbones/resnet-tiny.pt";
    private static final Metrics METRICS = new Metrics(0.75, 0.8, 0.75, 0.7, 8, List.of(
            new Metrics.ClassMetrics("bag", 1.0, 0.667, 1.0, 0.8, 4L),
            new Metrics.ClassMetrics("coat", 0.5, 1.0, 0.5, 0.667, 4L)),
            List.of(List.of(4L, 0L), List.of(2L, 2L)));

    private static VersionView version(long number, List<String> aliases, List<VersionView.LineageEntry> lineage) {
        return new VersionView("fashion", number, "fashion.shop.v1", Stage.LAYER4,
                "s3://checkpoints/fashion/fashion.shop.v1/layer4/", lineage.isEmpty() ? null : lineage.get(0).checkpoint(),
                "shop", 1, BASE, List.of("bag", "coat"), METRICS, aliases, T0, lineage);
    }

    private static final List<VersionView.LineageEntry> LINEAGE = List.of(
            new VersionView.LineageEntry("fashion", 1L, Stage.HEAD, "fashion.shop.v1",
                    "s3://checkpoints/fashion/fashion.shop.v1/head/"),
            new VersionView.LineageEntry(null, null, null, null, BASE));

    @Test
    void reportsMetricsMatrixLineageCandidateAndHistory() {
        PromotionView rejected = new PromotionView(2, "fashion", "fashion.shop.v2", 3, 2L, false,
                List.of("accuracy 0.700 vs production 0.750: -0.050 does not beat production"),
                new Metrics(0.7, null, null, 0.65, 8, null, null), METRICS, null, "evaluator", T0.plusSeconds(60),
                null);
        List<AliasMoveView> history = List.of(
                new AliasMoveView(1, "fashion", "production", null, 2, T0, "evaluator", "first version"),
                new AliasMoveView(2, "fashion", "production", 2L, 3, T0.plusSeconds(120), "admin", "manual"),
                new AliasMoveView(3, "fashion", "production", 3L, 2, T0.plusSeconds(180), "admin",
                        "rollback: coat regressed"));

        String text = VersionReport.render(version(2, List.of("production"), LINEAGE), 2L, rejected, "production",
                history);

        assertThat(text).isEqualTo("""
                fashion version 2 (production)
                  registered 2026-11-22 21:03:11Z, checkpoint s3://checkpoints/fashion/fashion.shop.v1/layer4/
                  tested on dataset shop version 1, 8 images

                Per class (a class's accuracy is its recall)
                  label          accuracy  precision     F1  images
                  bag               1.000      0.667  0.800       4
                  coat              0.500      1.000  0.667       4
                  -------------------------------------------------
                  macro average     0.750      0.800  0.700       8
                  overall accuracy 0.750

                Confusion matrix (rows: true label, columns: predicted label)
                  true \\ predicted  bag  coat
                  bag                 4     0
                  coat                2     2

                Lineage
                  run            fashion.shop.v1
                  stage          LAYER4
                  parent version 1 (HEAD of run fashion.shop.v1)
                  dataset        shop version 1
                  base backbone  s3://checkpoints/_backbones/resnet-tiny.pt
                  ancestors      v1 HEAD <- s3://checkpoints/_backbones/resnet-tiny.pt (not registered)

                Latest candidate
                  version 3 (run fashion.shop.v2): not promoted 2026-11-22 21:04:11Z by evaluator
                  accuracy 0.700, macro F1 0.650; production then (version 2): accuracy 0.750, macro F1 0.700
                  - accuracy 0.700 vs production 0.750: -0.050 does not beat production

                History of production (oldest first)
                  time                  from  to  actor      reason
                  2026-11-22 21:03:11Z     -   2  evaluator  first version
                  2026-11-22 21:05:11Z     2   3  admin      manual
                  2026-11-22 21:06:11Z     3   2  admin      rollback: coat regressed
                """);
    }

    @Test
    void printsThePairedStatisticsOfADecisionOverallAndPerClass() {
        PromotionStatistics statistics = new PromotionStatistics("paired", 0.05, 0.0, 0.05, 10, 0,
                new Comparison(null, 5000, 0.95, 0.96, 125, 75, 0.01, 0.0041, 0.0159, 2.5e-4, Verdict.PASS),
                List.of(new Comparison("bag", 1000, 0.9, 0.82, 20, 100, -0.08, -0.1019, -0.0581, 5.51e-14,
                                Verdict.FAIL),
                        new Comparison("coat", 20, 0.95, 0.9, 0, 1, -0.05, -0.1955, 0.0955, 1.0,
                                Verdict.NOT_ENOUGH_DATA)));
        PromotionView rejected = new PromotionView(2, "fashion", "fashion.shop.v2", 3, 2L, false,
                List.of("class bag: drop exceeds max-class-drop 0.050 with confidence"), METRICS, METRICS, statistics,
                "evaluator", T0, null);

        assertThat(VersionReport.render(version(2, List.of("production"), LINEAGE), 2L, rejected, "production",
                List.of())).contains("""
                Latest candidate
                  version 3 (run fashion.shop.v2): not promoted 2026-11-22 21:03:11Z by evaluator
                  accuracy 0.750, macro F1 0.700; production then (version 2): accuracy 0.750, macro F1 0.700
                  paired gate on the same test images (McNemar: one-sided overall, two-sided per class; 95% intervals)
                  significance 0.05, min-effect 0.000, max-class-drop 0.050, min-class-images 10
                  class    images  production  candidate  change          interval   p-value  verdict
                  bag        1000       0.900      0.820  -0.080  [-0.102, -0.058]  5.51e-14  fail
                  coat         20       0.950      0.900  -0.050  [-0.196, +0.096]     1.000  not enough data
                  -------------------------------------------------------------------------------------------
                  overall    5000       0.950      0.960  +0.010  [+0.004, +0.016]  2.50e-04  pass
                  - class bag: drop exceeds max-class-drop 0.050 with confidence
                """);
    }

    @Test
    void saysWhenTheLatestCandidateIsProductionOrWasPromotedAndMovedAwayFrom() {
        MoveResult move = new MoveResult("fashion", "production", null, 2, true, T0, "evaluator", "promoted");
        PromotionView promoted = new PromotionView(1, "fashion", "fashion.shop.v1", 2, null, true,
                List.of("no production version yet: accuracy 0.750 on shop v1"), METRICS, null, null, "evaluator", T0,
                move);

        assertThat(VersionReport.render(version(2, List.of("production"), LINEAGE), 2L, promoted, "production",
                List.of())).contains("""
                Latest candidate
                  version 2 (run fashion.shop.v1): promoted 2026-11-22 21:03:11Z by evaluator, production now
                  accuracy 0.750, macro F1 0.700
                  - no production version yet: accuracy 0.750 on shop v1
                """).contains("History of production (oldest first)\n  (never set)\n");
        assertThat(VersionReport.render(version(2, List.of(), LINEAGE), 1L, promoted, "production", List.of()))
                .contains("promoted 2026-11-22 21:03:11Z by evaluator, production has moved since\n")
                .startsWith("fashion version 2\n");
    }

    @Test
    void describesAVersionWithoutRegisteredParentsOrDecisions() {
        String text = VersionReport.render(version(1, List.of(), List.of(
                new VersionView.LineageEntry(null, null, null, null, BASE))), null, null, "production", List.of());

        assertThat(text).contains("  parent version - (checkpoint " + BASE + ", not registered)\n")
                .doesNotContain("ancestors")
                .contains("Latest candidate\n  none: no promotion decision recorded yet\n");
    }
}
