package io.stagetune.evaluator.promotion;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

class PairedStatisticsTest {

    @Test
    void oneSidedPValuesEqualTheExactBinomialTail() {
        int[][] cases = {{125, 75}, {2, 1}, {0, 1}, {1, 0}, {13, 7}, {2600, 2400}, {20, 100}};
        for (int[] pair : cases) {
            assertThat(PairedStatistics.pValueBetter(pair[0], pair[1])).as("gained %d, lost %d", pair[0], pair[1])
                    .isCloseTo(upperTail(pair[0] + pair[1], pair[0]), withPercentage(1e-7));
        }
        assertThat(PairedStatistics.pValueBetter(2, 1)).isEqualTo(0.5);
        assertThat(PairedStatistics.pValueBetter(0, 0)).isEqualTo(1);
    }

    @Test
    void twoSidedPValuesDoubleTheSmallerTail() {
        int[][] cases = {{125, 75}, {0, 1}, {3, 9}, {20, 100}, {2400, 2600}};
        for (int[] pair : cases) {
            double smaller = upperTail(pair[0] + pair[1], Math.max(pair[0], pair[1]));
            assertThat(PairedStatistics.pValueDifferent(pair[0], pair[1])).as("gained %d, lost %d", pair[0],
                    pair[1]).isCloseTo(Math.min(1, 2 * smaller), withPercentage(1e-7));
        }
        assertThat(PairedStatistics.pValueDifferent(4, 4)).isEqualTo(1);
    }

    @Test
    void theIntervalIsWaldWithContinuityCorrection() {
        double[] oneImageDrop = PairedStatistics.interval(20, 0, 1, 0.05);
        double halfWidth = 1.959963984540054 * Math.sqrt(1 - 1.0 / 20) / 20 + 1.0 / 20;
        assertThat(oneImageDrop[0]).isCloseTo(-0.05 - halfWidth, within(1e-12));
        assertThat(oneImageDrop[1]).isCloseTo(-0.05 + halfWidth, within(1e-12));
        double[] none = PairedStatistics.interval(100, 0, 0, 0.05);
        assertThat(none).containsExactly(-0.01, 0.01);
        assertThat(PairedStatistics.interval(10, 10, 0, 0.05)[1]).isEqualTo(1);
        assertThatThrownBy(() -> PairedStatistics.interval(10, 8, 3, 0.05))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** P(X >= k) for X ~ Bin(n, 1/2), summed exactly: sum of C(n, i) for i >= k, over 2^n. */
    private static double upperTail(int n, int k) {
        BigInteger sum = BigInteger.ZERO;
        BigInteger coefficient = BigInteger.ONE;
        for (int i = 0; i <= n; i++) {
            if (i >= k) {
                sum = sum.add(coefficient);
            }
            coefficient = coefficient.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return new BigDecimal(sum).divide(new BigDecimal(BigInteger.TWO.pow(n)), MathContext.DECIMAL128)
                .doubleValue();
    }
}
