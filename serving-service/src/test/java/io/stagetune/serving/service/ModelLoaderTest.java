package io.stagetune.serving.service;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelLoaderTest {

    @Test
    void warmUpRunsEveryPowerOfTwoUpToTheMaximumAndTheMaximum() {
        assertThat(ModelLoader.batchSizes(1)).containsExactly(1);
        assertThat(ModelLoader.batchSizes(8)).containsExactly(1, 2, 4, 8);
        assertThat(ModelLoader.batchSizes(24)).containsExactly(1, 2, 4, 8, 16, 24);
    }

    @Test
    void aDeviceThatGainsFromLargeBatchesKeepsTheMaximum() {
        // A GPU, or a small network on a CPU: every doubling is faster per image.
        assertThat(ModelLoader.tunedMaxSize(rates(40, 75, 140, 250, 420, 610), 0.9)).isEqualTo(32);
    }

    @Test
    void aNetworkThatRunsSmallBatchesFasterGetsTheLargestSizeNearTheBest() {
        // ResNet-18 at 224x224 on two CPU cores (measured): a batch of 32 runs at half the rate of a single image.
        Map<Integer, Double> cpu = rates(36.5, 35.0, 33.9, 30.2, 24.0, 18.2);
        assertThat(ModelLoader.tunedMaxSize(cpu, 0.9)).isEqualTo(4);
        assertThat(ModelLoader.tunedMaxSize(cpu, 1.0)).isEqualTo(1);
    }

    @Test
    void theBestSizeNeedNotBeAtEitherEnd() {
        assertThat(ModelLoader.tunedMaxSize(rates(10, 30, 50, 40, 20, 10), 0.9)).isEqualTo(4);
    }

    @Test
    void nothingTimedIsAnError() {
        assertThatThrownBy(() -> ModelLoader.tunedMaxSize(Map.of(), 0.9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShareOutsideZeroToOneIsRefusedNamingTheProperty() {
        for (double share : new double[] {0, -0.5, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> ModelLoader.tunedMaxSize(rates(10, 20), share))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serving.batch.tune-share");
        }
    }

    /** Images/s at batch sizes 1, 2, 4, 8, 16, 32. */
    private static Map<Integer, Double> rates(double... values) {
        Map<Integer, Double> rates = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            rates.put(1 << i, values[i]);
        }
        return rates;
    }
}
