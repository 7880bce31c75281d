package io.stagetune.common.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.stagetune.common.image.TestImages.ONE;
import static io.stagetune.common.image.TestImages.ZERO;
import static io.stagetune.common.image.TestImages.firstTrainGray;
import static io.stagetune.common.image.TestImages.firstTrainPng;
import static io.stagetune.common.image.TestImages.gray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PreprocessorTest {

    private static final Preprocessor SMALL = new Preprocessor(Preprocessing.imagenet(36, 32));

    /** Output value of channel {@code channel} at (x, y) in a crop x crop CHW array. */
    private static float at(float[] chw, int crop, int channel, int x, int y) {
        return chw[channel * crop * crop + y * crop + x];
    }

    private static float[] channel(float[] chw, int crop, int channel) {
        return Arrays.copyOfRange(chw, channel * crop * crop, (channel + 1) * crop * crop);
    }

    /** Red = step x column, green = step x row, blue = 7: every pixel says where it came from. */
    private static BufferedImage coordinates(int width, int height, int step) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (step * x) << 16 | (step * y) << 8 | 7);
            }
        }
        return image;
    }

    @Test
    void outputsThreeChannelsOfCropByCrop() {
        BufferedImage fashion = Images.decode(firstTrainPng());
        BufferedImage photo = TestImages.colourScene();
        Preprocessor imagenet = new Preprocessor(Preprocessing.imagenet());

        assertThat(SMALL.evalTransform(fashion)).hasSize(3 * 32 * 32);
        assertThat(SMALL.trainTransform(fashion, new Random(1))).hasSize(3 * 32 * 32);
        assertThat(imagenet.evalTransform(photo)).hasSize(3 * 224 * 224);
        assertThat(imagenet.trainTransform(photo, new Random(1))).hasSize(3 * 224 * 224);
        assertThat(imagenet.outputLength()).isEqualTo(3 * 224 * 224);
    }

    @Test
    void aUniformImageNormalisesExactlyPerChannel() {
        BufferedImage uniform = TestImages.uniform(50, 40, 200 << 16 | 100 << 8 | 50);
        Preprocessing imagenet = Preprocessing.imagenet();
        Preprocessor preprocessor = new Preprocessor(imagenet);
        int[] levels = {200, 100, 50};

        float[] eval = preprocessor.evalTransform(uniform);
        float[] train = preprocessor.trainTransform(uniform, new Random(7));

        for (int c = 0; c < 3; c++) {
            float expected = (levels[c] / 255f - imagenet.mean().get(c)) / imagenet.std().get(c);
            assertThat(channel(eval, 224, c)).containsOnly(expected);
            assertThat(channel(train, 224, c)).containsOnly(expected);
        }
        assertThat(at(eval, 224, 0, 0, 0)).isCloseTo((200 / 255f - 0.485f) / 0.229f, within(1e-6f));
    }

    @Test
    void grayscaleGivesThreeEqualChannelsBeforeNormalisation() {
        BufferedImage fashion = Images.decode(firstTrainPng());
        Preprocessing imagenet = Preprocessing.imagenet(36, 32);

        float[] out = new Preprocessor(imagenet).evalTransform(fashion);

        float[][] levels = new float[3][];
        for (int c = 0; c < 3; c++) {
            float[] normalised = channel(out, 32, c);
            levels[c] = new float[normalised.length];
            for (int i = 0; i < normalised.length; i++) {
                levels[c][i] = Math.round((normalised[i] * imagenet.std().get(c) + imagenet.mean().get(c)) * 255);
            }
        }
        assertThat(levels[1]).isEqualTo(levels[0]);
        assertThat(levels[2]).isEqualTo(levels[0]);
        assertThat(levels[0]).contains(0f).contains(255f);
    }

    @Test
    void sameSizeWithoutNormalisationGivesTheFilePixels() {
        BufferedImage gray = firstTrainGray();
        Preprocessor identity = new Preprocessor(new Preprocessing(28, 28, ZERO, ONE, 0.08));

        float[] out = identity.evalTransform(Images.decode(firstTrainPng()));

        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(at(out, 28, c, x, y)).isEqualTo(gray(gray, x, y) / 255f);
                }
            }
        }
    }

    @Test
    void centerCropPicksTheCenter() {
        Preprocessor identity = new Preprocessor(new Preprocessing(8, 4, ZERO, ONE, 0.08));

        float[] out = identity.evalTransform(coordinates(10, 8, 20));

        // The shorter side already has 8 pixels, so nothing is resampled: left = (10 - 4) / 2, top = (8 - 4) / 2.
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertThat(at(out, 4, 0, x, y)).isEqualTo(20 * (x + 3) / 255f);
                assertThat(at(out, 4, 1, x, y)).isEqualTo(20 * (y + 2) / 255f);
                assertThat(at(out, 4, 2, x, y)).isEqualTo(7 / 255f);
            }
        }
    }

    @Test
    void centerCropRoundsHalfToEvenLikeTorchvision() {
        Preprocessor identity = new Preprocessor(new Preprocessing(4, 4, ZERO, ONE, 0.08));

        // round(2.5) is 2 in Python and torchvision's center_crop; round(1.5) is 2.
        assertThat(at(identity.evalTransform(coordinates(9, 4, 20)), 4, 0, 0, 0)).isEqualTo(20 * 2 / 255f);
        assertThat(at(identity.evalTransform(coordinates(7, 4, 20)), 4, 0, 0, 0)).isEqualTo(20 * 2 / 255f);
    }

    @Test
    void resizeScalesTheShorterSideAndKeepsTheAspectRatio() {
        // 20x16 -> 10x8 (scale 2), crop 8 from x = 1. Away from the image edge the widened triangle filter is
        // symmetric around the two source pixels an output pixel covers, so it gives their mean.
        Preprocessor identity = new Preprocessor(new Preprocessing(8, 8, ZERO, ONE, 0.08));

        float[] out = identity.evalTransform(coordinates(20, 16, 12));

        assertThat(at(out, 8, 2, 3, 3)).isEqualTo(7 / 255f);
        for (int x = 0; x < 8; x++) {
            assertThat(at(out, 8, 0, x, 0) * 255).isCloseTo(12 * (2 * x + 2.5f), within(0.51f));
        }
        for (int y = 1; y < 7; y++) {
            assertThat(at(out, 8, 1, 0, y) * 255).isCloseTo(12 * (2 * y + 0.5f), within(0.51f));
        }
    }

    @Test
    void shrinkingAveragesInsteadOfAliasing() {
        BufferedImage checkerboard = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                checkerboard.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0);
            }
        }
        Preprocessor identity = new Preprocessor(new Preprocessing(64, 64, ZERO, ONE, 0.08));

        float[] out = identity.evalTransform(checkerboard);

        float lowest = Float.MAX_VALUE;
        float highest = -Float.MAX_VALUE;
        for (float value : out) {
            lowest = Math.min(lowest, value * 255);
            highest = Math.max(highest, value * 255);
        }
        assertThat(lowest).isCloseTo(127.5f, within(1f));
        assertThat(highest).isCloseTo(127.5f, within(1f));
    }

    @Test
    void flipMirrorsTheImage() {
        BufferedImage fashion = Images.decode(firstTrainPng());
        // A minimum scale of 1 always crops the whole square image, so only the flip varies.
        Preprocessor wholeImage = new Preprocessor(new Preprocessing(28, 28, ZERO, ONE, 1.0));
        float[] straight = wholeImage.evalTransform(fashion);
        float[] mirrored = new float[straight.length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    mirrored[c * 28 * 28 + y * 28 + x] = straight[c * 28 * 28 + y * 28 + 27 - x];
                }
            }
        }
        assertThat(mirrored).isNotEqualTo(straight);

        Set<Boolean> flips = new HashSet<>();
        for (int seed = 0; seed < 20; seed++) {
            float[] out = wholeImage.trainTransform(fashion, new Random(seed));
            assertThat(out).satisfiesAnyOf(o -> assertThat(o).isEqualTo(straight), o -> assertThat(o).isEqualTo(mirrored));
            flips.add(Arrays.equals(out, mirrored));
        }
        assertThat(flips).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void theSameSeedGivesTheSameOutputAndOtherSeedsOthers() {
        BufferedImage fashion = Images.decode(firstTrainPng());

        float[] first = SMALL.trainTransform(fashion, new Random(42));
        float[] again = SMALL.trainTransform(fashion, new Random(42));
        Set<List<Float>> distinct = new HashSet<>();
        for (int seed = 0; seed < 10; seed++) {
            float[] out = SMALL.trainTransform(fashion, new Random(seed));
            List<Float> values = new ArrayList<>();
            for (float v : out) {
                values.add(v);
            }
            distinct.add(values);
        }

        assertThat(again).isEqualTo(first);
        assertThat(SMALL.trainTransform(fashion, new Random(43))).isNotEqualTo(first);
        assertThat(distinct).hasSize(10);
        assertThat(SMALL.evalTransform(fashion)).isEqualTo(SMALL.evalTransform(fashion));
    }

    @Test
    void writesIntoABatchBufferAtAnOffset() {
        BufferedImage fashion = Images.decode(firstTrainPng());
        BufferedImage photo = TestImages.colourScene();
        int length = SMALL.outputLength();
        float[] batch = new float[2 * length + 1];
        Arrays.fill(batch, -99f);

        SMALL.evalTransform(fashion, batch, 0);
        SMALL.trainTransform(photo, new Random(3), batch, length);

        assertThat(Arrays.copyOfRange(batch, 0, length)).isEqualTo(SMALL.evalTransform(fashion));
        assertThat(Arrays.copyOfRange(batch, length, 2 * length)).isEqualTo(SMALL.trainTransform(photo, new Random(3)));
        assertThat(batch[2 * length]).isEqualTo(-99f);
        assertThatThrownBy(() -> SMALL.evalTransform(fashion, batch, length + 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void acceptsImagesInAnyColourModel() {
        BufferedImage gray = firstTrainGray();

        assertThat(SMALL.evalTransform(gray)).isEqualTo(SMALL.evalTransform(Images.decode(firstTrainPng())));
    }
}
