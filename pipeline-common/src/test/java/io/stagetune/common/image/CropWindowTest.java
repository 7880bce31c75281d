package io.stagetune.common.image;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CropWindowTest {

    @Test
    void randomWindowsLieInsideTheImageWithTorchvisionsScaleAndRatio() {
        Random random = new Random(11);
        int full = 0;
        for (int i = 0; i < 2000; i++) {
            CropWindow window = CropWindow.random(500, 375, 0.08, random);

            assertThat(window.x()).isBetween(0, 500 - window.width());
            assertThat(window.y()).isBetween(0, 375 - window.height());
            double area = (double) window.width() * window.height() / (500 * 375);
            double ratio = (double) window.width() / window.height();
            if (window.width() == 500 || window.height() == 375) {
                full++;
            }
            assertThat(area).isBetween(0.075, 1.0);
            assertThat(ratio).isBetween(0.74, 1.35);
        }
        assertThat(full).isLessThan(200);
    }

    @Test
    void aLargerMinimumScaleGivesLargerWindows() {
        Random random = new Random(5);
        for (int i = 0; i < 500; i++) {
            CropWindow window = CropWindow.random(28, 28, 0.5, random);
            assertThat(window.width() * window.height()).isGreaterThanOrEqualTo((int) (0.45 * 28 * 28));
        }
    }

    @Test
    void fallsBackToTheLargestCenterCropWithinTheRatios() {
        // No window of at least 8% of a 1000x10 strip fits with a ratio up to 4/3.
        assertThat(CropWindow.random(1000, 10, 0.08, new Random(1))).isEqualTo(new CropWindow(493, 0, 13, 10));
        assertThat(CropWindow.random(10, 1000, 0.08, new Random(1))).isEqualTo(new CropWindow(0, 493, 10, 13));
    }

    @Test
    void theWholeSquareImageWhenTheMinimumScaleIsOne() {
        Random random = new Random(9);
        for (int i = 0; i < 100; i++) {
            assertThat(CropWindow.random(28, 28, 1.0, random)).isEqualTo(new CropWindow(0, 0, 28, 28));
        }
    }
}
