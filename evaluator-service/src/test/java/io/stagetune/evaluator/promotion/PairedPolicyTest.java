package io.stagetune.evaluator.promotion;

import io.stagetune.common.registry.PromotionStatistics;
import io.stagetune.common.registry.PromotionStatistics.Comparison;
import io.stagetune.common.registry.PromotionStatistics.Verdict;
import io.stagetune.evaluator.promotion.PromotionDecision.Rejection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PairedPolicyTest {

    private static final List<String> TEN = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    private static final PairedPolicy POLICY = PairedPolicy.defaults();

    private static PromotionDecision decide(PairedPredictions pairs) {
        return POLICY.decide(pairs.candidate(), Optional.of(pairs.production()));
    }

    @Test
    void onePointOnFiveThousandImagesWith125GainedAnd75LostPasses() {
        PairedPredictions pairs = new PairedPredictions(TEN);
        for (int c = 0; c < 10; c++) {
            // 500 images a class; in all 4,675 both right, 125 gained, 75 lost, 125 both wrong.
            pairs.images(TEN.get(c), c < 5 ? 467 : 468, c < 5 ? 13 : 12, c < 5 ? 8 : 7, 12 + (c < 5 ? 0 : 1));
        }
        PromotionDecision decision = decide(pairs);

        Comparison overall = decision.statistics().overall();
        assertThat(overall.images()).isEqualTo(5000);
        assertThat(overall.gained()).isEqualTo(125);
        assertThat(overall.lost()).isEqualTo(75);
        assertThat(overall.productionAccuracy()).isEqualTo(0.95);
        assertThat(overall.candidateAccuracy()).isEqualTo(0.96);
        assertThat(overall.difference()).isCloseTo(0.01, within(1e-12));
        assertThat(overall.pValue()).isCloseTo(PairedStatistics.pValueBetter(125, 75), within(1e-15))
                .isLessThan(0.001);
        assertThat(overall.lower()).isPositive();
        assertThat(overall.verdict()).isEqualTo(Verdict.PASS);
        assertThat(decision.statistics().perClass()).extracting(Comparison::verdict).containsOnly(Verdict.PASS);
        assertThat(decision.promoted()).isTrue();
        assertThat(decision.reasons().get(0)).startsWith("accuracy 0.960 vs production 0.950 on 5000 paired images:"
                + " +0.010 [+0.004, +0.016], 125 gained, 75 lost, McNemar p=2.50e-04 (one-sided): better with"
                + " confidence (significance 0.05) and >= min-effect 0.000");
    }

    @Test
    void onePointOnAHundredImagesWithTwoGainedAndOneLostDoesNot() {
        PairedPredictions pairs = new PairedPredictions(List.of("a", "b")).images("a", 90, 2, 1, 7);
        PromotionDecision decision = decide(pairs);

        assertThat(decision.promoted()).isFalse();
        assertThat(decision.rejections()).containsExactly(Rejection.NOT_SIGNIFICANT);
        Comparison overall = decision.statistics().overall();
        assertThat(overall.difference()).isCloseTo(0.01, within(1e-12));
        assertThat(overall.pValue()).isEqualTo(0.5);
        assertThat(overall.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(decision.reasons().get(0)).endsWith("p=0.500 (one-sided): not better with confidence "
                + "(p > significance 0.05)");
    }

    @Test
    void aOneImageDropInATwentyImageClassIsNotEnoughDataNotAFailure() {
        PairedPredictions pairs = new PairedPredictions(List.of("big", "small"))
                .images("big", 800, 60, 10, 130).images("small", 18, 0, 1, 1);
        PromotionDecision decision = decide(pairs);

        Comparison small = decision.statistics().perClass().get(1);
        assertThat(small).extracting(Comparison::label, Comparison::images, Comparison::lost, Comparison::pValue,
                Comparison::verdict).containsExactly("small", 20, 1, 1.0, Verdict.NOT_ENOUGH_DATA);
        assertThat(small.difference()).isCloseTo(-0.05, within(1e-12));
        assertThat(new double[] {small.lower(), small.upper()}).as("a drop beyond 0.05 neither shown nor ruled out")
                .satisfies(interval -> assertThat(interval[0]).isLessThan(-0.05))
                .satisfies(interval -> assertThat(interval[1]).isGreaterThan(-0.05));
        assertThat(decision.promoted()).isTrue();
        assertThat(decision.reasons().get(2)).isEqualTo("class small: 0.950 -> 0.900 (-0.050 [-0.196, +0.096]) on 20"
                + " images, 0 gained, 1 lost, p=1.00: not enough data to tell a drop beyond max-class-drop 0.050");
    }

    @Test
    void anEightPointDropInAThousandImageClassFails() {
        PairedPredictions pairs = new PairedPredictions(List.of("shirt", "coat"))
                .images("shirt", 800, 20, 100, 80).images("coat", 3000, 300, 20, 680);
        PromotionDecision decision = decide(pairs);

        Comparison shirt = decision.statistics().perClass().get(0);
        assertThat(shirt.productionAccuracy()).isEqualTo(0.9);
        assertThat(shirt.candidateAccuracy()).isEqualTo(0.82);
        assertThat(shirt.upper()).isLessThan(-0.05);
        assertThat(shirt.pValue()).isCloseTo(PairedStatistics.pValueDifferent(20, 100), within(1e-15));
        assertThat(shirt.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(decision.statistics().overall().verdict()).as("better overall").isEqualTo(Verdict.PASS);
        assertThat(decision.promoted()).isFalse();
        assertThat(decision.rejections()).containsExactly(Rejection.CLASS_REGRESSION);
        assertThat(decision.reasons()).anySatisfy(reason -> assertThat(reason).startsWith("class shirt: 0.900 -> "
                + "0.820 (-0.080 [").endsWith("drop exceeds max-class-drop 0.050 with confidence"));
    }

    @Test
    void classesBelowTheMinimumAreNotJudgedEvenWhenTheyCollapse() {
        PairedPredictions pairs = new PairedPredictions(List.of("big", "rare"))
                .images("big", 800, 80, 10, 110).images("rare", 0, 0, 5, 0);
        PromotionDecision decision = decide(pairs);

        Comparison rare = decision.statistics().perClass().get(1);
        assertThat(rare.verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(rare.difference()).isEqualTo(-1);
        assertThat(decision.reasons().get(2)).endsWith("not enough data (fewer than min-class-images 10)");
        assertThat(decision.promoted()).isTrue();
    }

    @Test
    void aMinimumEffectAboveTheGainRejectsASignificantCandidate() {
        PairedPredictions pairs = new PairedPredictions(List.of("a", "b")).images("a", 4675, 125, 75, 125);
        PromotionDecision decision = new PairedPolicy(0.05, 0.02, 0.05, 10)
                .decide(pairs.candidate(), Optional.of(pairs.production()));

        assertThat(decision.rejections()).containsExactly(Rejection.INSUFFICIENT_IMPROVEMENT);
        assertThat(decision.reasons().get(0)).endsWith("< min-effect 0.020");
    }

    @Test
    void imagesOnlyOneVersionPredictedAreLeftOutAndCounted() {
        PairedPredictions pairs = new PairedPredictions(List.of("a", "b")).images("a", 900, 60, 10, 30)
                .images("b", 100, 0, 0, 0);
        PromotionDecision decision = POLICY.decide(pairs.candidate(), Optional.of(pairs.productionOnFirst(1000)));

        PromotionStatistics statistics = decision.statistics();
        assertThat(statistics.unpairedImages()).isEqualTo(100);
        assertThat(statistics.overall().images()).isEqualTo(1000);
        assertThat(statistics.perClass().get(1).images()).isZero();
        assertThat(statistics.perClass().get(1).verdict()).isEqualTo(Verdict.NOT_ENOUGH_DATA);
        assertThat(decision.reasons().get(0)).contains("on 1000 paired images (100 unpaired)");
        assertThat(decision.reasons().get(2)).isEqualTo("class b: no test images, not enough data");
    }

    @Test
    void noProductionPromotesAndMissingPredictionsAreRefused() {
        PairedPredictions pairs = new PairedPredictions(List.of("a", "b")).images("a", 10, 1, 0, 0);
        assertThat(POLICY.decide(pairs.candidate(), Optional.empty()).promoted()).isTrue();
        EvaluatedVersion withoutPredictions = Versions.version("v1", List.of("a", "b"), "a=10/11");
        assertThatThrownBy(() -> POLICY.decide(pairs.candidate(), Optional.of(withoutPredictions)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v1 has no per-image predictions");
        assertThat(POLICY.decide(pairs.candidate(), Optional.of(pairs.candidate())).rejections())
                .isEqualTo(Set.of(Rejection.ALREADY_PRODUCTION));
        assertThatThrownBy(() -> new PairedPolicy(0, 0, 0.05, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
