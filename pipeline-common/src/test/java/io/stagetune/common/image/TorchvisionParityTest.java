package io.stagetune.common.image;

import io.stagetune.common.Fixtures;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static io.stagetune.common.image.TestImages.ONE;
import static io.stagetune.common.image.TestImages.ZERO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Java transforms against torchvision's on the same images (fixtures/preprocessing-reference): PIL
 * rounds in fixed point, so a pixel may differ by one 8-bit level, never more.
 */
class TorchvisionParityTest {

    private static BufferedImage reference(String name) {
        return Images.decode(TestImages.read(Fixtures.preprocessingReference().resolve(name)));
    }

    /** Largest difference, in 8-bit levels, between a CHW output without normalisation and an RGB image. */
    private static int largestDifference(float[] chw, BufferedImage expected) {
        int size = expected.getWidth();
        assertThat(chw).hasSize(3 * size * size);
        int largest = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int rgb = expected.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int level = Math.round(chw[c * size * size + y * size + x] * 255);
                    largest = Math.max(largest, Math.abs(level - ((rgb >> (16 - 8 * c)) & 0xFF)));
                }
            }
        }
        return largest;
    }

    private static Preprocessor withoutNormalisation(int resize, int crop) {
        return new Preprocessor(new Preprocessing(resize, crop, ZERO, ONE, 0.08));
    }

    @Test
    void evalShrinkingMatchesResizeAndCenterCrop() {
        float[] out = withoutNormalisation(64, 56).evalTransform(reference("scene.png"));

        assertThat(largestDifference(out, reference("scene-eval-64-56.png"))).isLessThanOrEqualTo(1);
    }

    @Test
    void evalEnlargingMatchesResizeAndCenterCrop() {
        float[] out = withoutNormalisation(36, 32).evalTransform(Images.decode(TestImages.firstTrainPng()));

        assertThat(largestDifference(out, reference("boot-eval-36-32.png"))).isLessThanOrEqualTo(1);
    }

    @Test
    void shrinkingMatchesTorchvisionsResize() {
        // scene.png is 160x120: Resize(64) makes it 85x64, and CenterCrop(56) starts at column 14, row 4.
        BufferedImage shrunk = Images.shrink(reference("scene.png"), 64);
        BufferedImage expected = reference("scene-eval-64-56.png");

        assertThat(shrunk.getWidth()).isEqualTo(85);
        assertThat(shrunk.getHeight()).isEqualTo(64);
        int largest = 0;
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                int actual = shrunk.getRGB(14 + x, 4 + y);
                int wanted = expected.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    largest = Math.max(largest, Math.abs(((actual >> shift) & 0xFF) - ((wanted >> shift) & 0xFF)));
                }
            }
        }
        assertThat(largest).isLessThanOrEqualTo(1);
    }

    @Test
    void evalOfAnImageShrunkToTheResizeOnlyCrops() {
        // The evaluator keeps test images shrunk to the resize (DecodedImageFiles), as PIL's Resize leaves them.
        BufferedImage shrunk = Images.shrink(reference("scene.png"), 64);
        float[] out = withoutNormalisation(64, 56).evalTransform(shrunk);

        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 56; y++) {
                for (int x = 0; x < 56; x++) {
                    int level = (shrunk.getRGB(14 + x, 4 + y) >> (16 - 8 * c)) & 0xFF;
                    assertThat(out[c * 56 * 56 + y * 56 + x] * 255).isCloseTo(level, within(1e-3f));
                }
            }
        }
        assertThat(largestDifference(out, reference("scene-eval-64-56.png"))).isLessThanOrEqualTo(1);
    }

    @Test
    void trainingCropMatchesResizedCrop() {
        Preprocessor preprocessor = withoutNormalisation(48, 48);
        float[] out = new float[preprocessor.outputLength()];

        preprocessor.resizedCrop(reference("scene.png"), new CropWindow(23, 10, 70, 90), false, out, 0);

        assertThat(largestDifference(out, reference("scene-crop-48.png"))).isLessThanOrEqualTo(1);
    }
}
