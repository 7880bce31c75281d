package io.stagetune.evaluator.promotion;

import io.stagetune.evaluator.evaluation.TestSplit;
import io.stagetune.evaluator.promotion.PromotionDecision.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static io.stagetune.evaluator.promotion.Versions.version;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ThresholdPolicyTest {

    private static final List<String> ABC = List.of("a", "b", "c");
    private static final List<String> ABCD = List.of("a", "b", "c", "d");
    private static final EvaluatedVersion PRODUCTION = version("v1", ABC, "a=80/100", "b=80/100", "c=80/100");
    private static final ThresholdPolicy POLICY = ThresholdPolicy.defaults();

    static Stream<Arguments> table() {
        return Stream.of(
                arguments("improvement",
                        version("v2", ABC, "a=85/100", "b=83/100", "c=80/100"),
                        Set.of(), "accuracy 0.827 vs production 0.800: +0.027 >= min-improvement 0.010"),
                arguments("improvement of exactly min-improvement",
                        version("v2", ABC, "a=83/100", "b=80/100", "c=80/100"),
                        Set.of(), "accuracy 0.810 vs production 0.800: +0.010 >= min-improvement 0.010"),
                arguments("too small an improvement",
                        version("v2", ABC, "a=81/100", "b=80/100", "c=80/100"),
                        Set.of(Rejection.INSUFFICIENT_IMPROVEMENT),
                        "accuracy 0.803 vs production 0.800: +0.003 < min-improvement 0.010"),
                arguments("one class regressing",
                        version("v2", ABC, "a=95/100", "b=95/100", "c=74/100"),
                        Set.of(Rejection.CLASS_REGRESSION),
                        "class c: 0.800 -> 0.740 (-0.060) exceeds max-class-drop 0.050"),
                arguments("a class dropping by exactly max-class-drop",
                        version("v2", ABC, "a=90/100", "b=90/100", "c=75/100"),
                        Set.of(), "class c: 0.800 -> 0.750 (-0.050) within max-class-drop 0.050"),
                arguments("worse overall and on a class",
                        version("v2", ABC, "a=70/100", "b=80/100", "c=80/100"),
                        Set.of(Rejection.INSUFFICIENT_IMPROVEMENT, Rejection.CLASS_REGRESSION),
                        "accuracy 0.767 vs production 0.800: -0.033 does not beat production (min-improvement 0.010)"),
                arguments("equal metrics",
                        version("v2", ABC, "a=80/100", "b=80/100", "c=80/100"),
                        Set.of(Rejection.INSUFFICIENT_IMPROVEMENT),
                        "accuracy 0.800 vs production 0.800: +0.000 does not beat production (min-improvement 0.010)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String situation, EvaluatedVersion candidate, Set<Rejection> rejections, String reason) {
        PromotionDecision decision = POLICY.decide(candidate, Optional.of(PRODUCTION));

        assertThat(decision.promoted()).as(situation).isEqualTo(rejections.isEmpty());
        assertThat(decision.rejections()).isEqualTo(rejections);
        assertThat(decision.reasons()).contains(reason);
        assertThat(decision.candidate()).isEqualTo("v2");
        assertThat(decision.production()).isEqualTo("v1");
    }

    @Test
    void promotesTheFirstModel() {
        PromotionDecision decision = POLICY.decide(version("v1", ABC, "a=10/100", "b=10/100", "c=10/100"),
                Optional.empty());

        assertThat(decision.promoted()).isTrue();
        assertThat(decision.production()).isNull();
        assertThat(decision.reasons()).containsExactly("no production version yet: accuracy 0.100 on shop v3 test");
    }

    @Test
    void aNewClassDoesNotBlockEvenWhenTheCandidateIsWeakOnIt() {
        // Production was re-evaluated on the split with the new class d, which it cannot predict.
        EvaluatedVersion production = version("v1", ABC, "a=80/100", "b=80/100", "c=80/100", "d=0/100");
        EvaluatedVersion candidate = version("v2", ABCD, "a=90/100", "b=90/100", "c=80/100", "d=5/100");

        PromotionDecision decision = POLICY.decide(candidate, Optional.of(production));

        assertThat(decision.promoted()).isTrue();
        assertThat(decision.reasons()).contains(
                "accuracy 0.663 vs production 0.600: +0.063 >= min-improvement 0.010",
                "class a: 0.800 -> 0.900 (+0.100) within max-class-drop 0.050",
                "class c: 0.800 -> 0.800 (+0.000) within max-class-drop 0.050",
                "class d: new, unknown to production (0.050), does not block");
    }

    @Test
    void equalMetricsAreNotPromotedEvenWithoutAMinimumImprovement() {
        PromotionDecision decision = new ThresholdPolicy(0, 0.05)
                .decide(version("v2", ABC, "a=80/100", "b=80/100", "c=80/100"), Optional.of(PRODUCTION));

        assertThat(decision.promoted()).isFalse();
        assertThat(decision.rejections()).containsExactly(Rejection.INSUFFICIENT_IMPROVEMENT);
    }

    @Test
    void aClassWithoutTestImagesIsNotCompared() {
        EvaluatedVersion production = version("v1", ABCD, "a=80/100", "b=80/100", "c=80/100");
        EvaluatedVersion candidate = version("v2", ABCD, "a=90/100", "b=90/100", "c=80/100");

        PromotionDecision decision = POLICY.decide(candidate, Optional.of(production));

        assertThat(decision.promoted()).isTrue();
        assertThat(decision.reasons()).contains("class d: no test images, not compared");
    }

    @Test
    void aCandidateThatIsProductionAlreadyIsNotPromotedAgain() {
        PromotionDecision decision = POLICY.decide(PRODUCTION, Optional.of(PRODUCTION));

        assertThat(decision.promoted()).isFalse();
        assertThat(decision.rejections()).containsExactly(Rejection.ALREADY_PRODUCTION);
    }

    @Test
    void refusesToCompareEvaluationsOfDifferentTestSplits() {
        EvaluatedVersion candidate = Versions.version("v2", null, 0.9, new TestSplit("shop", 4), ABC,
                "a=90/100", "b=90/100", "c=90/100");

        assertThatThrownBy(() -> POLICY.decide(candidate, Optional.of(PRODUCTION)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shop v3 test").hasMessageContaining("re-evaluate production");
    }

    @Test
    void rejectsThresholdsOutsideZeroToOne() {
        assertThatThrownBy(() -> new ThresholdPolicy(-0.1, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThresholdPolicy(0.01, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
