package io.stagetune.trainer.worker;

import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stage's decoded images: off the heap, in content-addressed files, with large images presized. */
class DecodedImagesTest {

    // resize 32, crop 28: images are presized to a shorter side of at most 56.
    private static final Preprocessing PREPROCESSING = Preprocessing.imagenet(32, 28);
    private static final Preprocessor PREPROCESSOR = new Preprocessor(PREPROCESSING);

    @TempDir
    Path work;

    @Test
    void smallImagesAreKeptBitForBitAndLargeOnesArePresizedToTwiceTheCrop() throws IOException {
        List<Path> files = new ArrayList<>(sample(3));
        Path photo = work.resolve("photo.png");
        ImageIO.write(photo(1200, 900), "png", photo.toFile());
        files.add(photo);

        DecodedImages images = DecodedImages.decode(files, new int[] {0, 1, 2, 3}, keys(4), PREPROCESSOR,
                work.resolve("decoded"));
        assertThat(DecodedImages.presize(PREPROCESSING)).isEqualTo(56);
        assertThat(images.size()).isEqualTo(4);
        assertThat(images.label(3)).isEqualTo(3);
        assertThat(images.contentKey(1)).isEqualTo(keys(4).get(1));
        assertThat(images.decoded()).isEqualTo(4);
        // Three 28x28 images as they are, the 1200x900 one as 74x56; 3 bytes per pixel after an 8-byte header.
        assertThat(images.bytes()).isEqualTo(3 * (3 * 28 * 28 + 74 * 56));
        assertThat(Files.size(work.resolve("decoded/presize-56/" + keys(4).get(3) + ".rgb")))
                .isEqualTo(8 + 3 * 74 * 56);
        assertThat(images.image(3).getWidth()).isEqualTo(74);
        assertThat(images.evalTransformId()).contains("presize=56");

        for (int i = 0; i < 3; i++) {
            BufferedImage original = Images.decode(Files.readAllBytes(files.get(i)));
            float[] expected = PREPROCESSOR.evalTransform(original);
            float[] actual = new float[expected.length];
            images.fillForEvaluation(i, actual, 0);
            assertThat(actual).as("eval pixels of image %d", i).containsExactly(expected);

            float[] augmented = new float[expected.length];
            images.fillForTraining(i, augmented, 0, new Random(7));
            assertThat(augmented).as("train pixels of image %d", i)
                    .containsExactly(PREPROCESSOR.trainTransform(original, new Random(7)));
        }
        // Resized in two steps instead of one: the same picture within a fraction of an 8-bit level on average.
        float[] direct = PREPROCESSOR.evalTransform(Images.decode(Files.readAllBytes(photo)));
        float[] presized = new float[direct.length];
        images.fillForEvaluation(3, presized, 0);
        double sum = 0;
        for (int i = 0; i < direct.length; i++) {
            sum += Math.abs(direct[i] - presized[i]);
        }
        // Normalised values: one 8-bit level is 1 / (255 * std) ~ 0.0175.
        assertThat(sum / direct.length).isLessThan(0.0175);
    }

    @Test
    void aLaterStageReadsTheDecodedFilesAndDecodesOnlyWhatIsMissingOrBroken() throws IOException {
        List<Path> files = sample(3);
        Path folder = work.resolve("decoded");
        DecodedImages first = DecodedImages.decode(files, new int[] {0, 1, 2}, keys(3), PREPROCESSOR, folder);
        float[] expected = new float[PREPROCESSOR.outputLength()];
        first.fillForEvaluation(2, expected, 0);
        // Image 1's decoded file is cut short (a crash while writing is ruled out by the atomic move, a full disk
        // is not): it is decoded again. The others are read without their originals.
        Path second = folder.resolve("presize-56/" + keys(3).get(1) + ".rgb");
        Files.write(second, Arrays.copyOf(Files.readAllBytes(second), 100));
        assertThat(DecodedImages.missing(keys(3), PREPROCESSING, folder)).containsExactly(keys(3).get(1));
        List<Path> originals = Arrays.asList(null, files.get(1), null);

        DecodedImages again = DecodedImages.decode(originals, new int[] {0, 1, 2}, keys(3), PREPROCESSOR, folder);

        assertThat(again.decoded()).isEqualTo(1);
        assertThat(Files.size(second)).isEqualTo(8 + 3 * 28 * 28);
        float[] actual = new float[expected.length];
        again.fillForEvaluation(2, actual, 0);
        assertThat(actual).containsExactly(expected);
        // Another crop presizes differently: its own files.
        DecodedImages larger = DecodedImages.decode(files, new int[] {0, 1, 2}, keys(3),
                new Preprocessor(Preprocessing.imagenet(256, 224)), folder);
        assertThat(larger.decoded()).isEqualTo(3);
        assertThat(folder.resolve("presize-448")).isDirectory();
    }

    @Test
    void anUndecodableImageIsNamed() throws IOException {
        Path broken = work.resolve("0123abcd.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        List<Path> files = List.of(sample(1).get(0), broken);

        assertThatThrownBy(() -> DecodedImages.decode(files, new int[] {0, 0}, keys(2), PREPROCESSOR,
                work.resolve("decoded")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0123abcd.png");
        assertThatThrownBy(() -> DecodedImages.decode(files.subList(0, 1), new int[] {0}, List.of("../escape"),
                PREPROCESSOR, work.resolve("decoded")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../escape");
    }

    /** A smooth picture, as a downscaled photo would be: gradients and a soft disc. */
    private static BufferedImage photo(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double dx = x - width / 2.0;
                double dy = y - height / 2.0;
                int disc = Math.hypot(dx, dy) < height / 3.0 ? 120 : 0;
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | disc);
            }
        }
        return image;
    }

    /** Content keys as the manifest gives them (sha256, hex). */
    private static List<String> keys(int count) {
        return IntStream.range(0, count).mapToObj(i -> String.format("%064x", 0xabc0L + i)).toList();
    }

    private static List<Path> sample(int count) throws IOException {
        Path bags = TrainingDataset.repositoryFile("fixtures/fashion-mnist-sample/train/bag");
        try (Stream<Path> files = Files.list(bags)) {
            return files.sorted().limit(count).toList();
        }
    }
}
