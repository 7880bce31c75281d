package io.stagetune.common.data;

import io.stagetune.common.storage.ObjectKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.stagetune.common.data.IdxReaderTest.writeIdx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FashionMnistTest {

    private static final int PIXELS = FashionMnist.IMAGE_SIZE * FashionMnist.IMAGE_SIZE;

    @TempDir
    Path dir;

    /** A tiny copy of the t10k files: the given labels and that many images, pixel values from their position. */
    private void writeTestSubset(byte[] labels, int images) throws IOException {
        byte[] pixels = new byte[images * PIXELS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = pixelValue(i);
        }
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), true, new int[] {images, 28, 28}, pixels);
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte"), false, new int[] {labels.length}, labels);
    }

    private static byte pixelValue(int position) {
        return (byte) (position / PIXELS * 100 + position % 50);
    }

    static byte[] decodeGray(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getRaster().getNumBands()).isEqualTo(1);
        return (byte[]) image.getRaster().getDataElements(0, 0, image.getWidth(), image.getHeight(), null);
    }

    @Test
    void classNamesAreTheTenKebabCaseLabelsInIndexOrder() {
        assertThat(FashionMnist.CLASS_NAMES).containsExactly("t-shirt", "trouser", "pullover", "dress", "coat",
                "sandal", "shirt", "sneaker", "bag", "ankle-boot");
        assertThat(FashionMnist.CLASS_NAMES).allMatch(name -> ObjectKeys.NAME.matcher(name).matches());
    }

    @Test
    void loadsExamplesFromGzippedAndPlainFiles() throws IOException {
        writeTestSubset(new byte[] {9, 0, 4}, 3);

        FashionMnist test = FashionMnist.load(dir, FashionMnist.Subset.TEST);

        assertThat(test.size()).isEqualTo(3);
        assertThat(test.subset()).isEqualTo(FashionMnist.Subset.TEST);
        FashionMnist.Example third = test.example(2);
        assertThat(third.index()).isEqualTo(2);
        assertThat(third.label()).isEqualTo(4);
        assertThat(third.className()).isEqualTo("coat");
        assertThat(third.pixels()).hasSize(PIXELS);
        for (int i = 0; i < PIXELS; i++) {
            assertThat(third.pixels()[i]).isEqualTo(pixelValue(2 * PIXELS + i));
        }
        assertThat(test.examples()).extracting(FashionMnist.Example::label).containsExactly(9, 0, 4);
        assertThatThrownBy(() -> test.example(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void encodesAnExampleAsAGrayscalePngOfItsPixels() throws IOException {
        writeTestSubset(new byte[] {1, 2}, 2);
        FashionMnist.Example example = FashionMnist.load(dir, FashionMnist.Subset.TEST).example(1);

        byte[] png = example.toPng();

        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
        assertThat(decodeGray(png)).isEqualTo(example.pixels());
    }

    @Test
    void isInstalledOnlyWithAllFourFiles() throws IOException {
        assertThat(FashionMnist.isInstalled(dir)).isFalse();
        writeTestSubset(new byte[] {1}, 1);
        assertThat(FashionMnist.isInstalled(dir)).isFalse();
        Files.copy(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("train-images-idx3-ubyte"));
        Files.copy(dir.resolve("t10k-labels-idx1-ubyte"), dir.resolve("train-labels-idx1-ubyte.gz"));
        assertThat(FashionMnist.isInstalled(dir)).isTrue();
    }

    @Test
    void namesTheMissingFile() {
        assertThatThrownBy(() -> FashionMnist.load(dir, FashionMnist.Subset.TRAIN))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("train-images-idx3-ubyte").hasMessageContaining(dir.toString());
    }

    @Test
    void rejectsLabelsThatDoNotMatchTheImages() throws IOException {
        writeTestSubset(new byte[] {1, 2, 3}, 2);
        assertThatThrownBy(() -> FashionMnist.load(dir, FashionMnist.Subset.TEST))
                .hasMessageContaining("t10k-labels-idx1-ubyte: 3 labels, but")
                .hasMessageContaining("holds 2 images");
    }

    @Test
    void rejectsALabelOutsideTheTenClasses() throws IOException {
        writeTestSubset(new byte[] {1, 10}, 2);
        assertThatThrownBy(() -> FashionMnist.load(dir, FashionMnist.Subset.TEST))
                .hasMessageContaining("t10k-labels-idx1-ubyte: label 10 of example 1 is not a class index 0..9");
    }

    @Test
    void rejectsImagesOfAnotherSize() throws IOException {
        writeIdx(dir.resolve("t10k-images-idx3-ubyte"), false, new int[] {1, 32, 32}, new byte[32 * 32]);
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte"), false, new int[] {1}, new byte[1]);
        assertThatThrownBy(() -> FashionMnist.load(dir, FashionMnist.Subset.TEST))
                .hasMessageContaining("t10k-images-idx3-ubyte: images are 32x32");
    }

    @Test
    void theDefaultDirectoryCanBeOverridden() {
        assertThat(FashionMnist.DEFAULT_DIRECTORY).isEqualTo(Path.of("/usr/share/datasets/fashion-mnist"));
        String before = System.getProperty(FashionMnist.DIRECTORY_PROPERTY);
        try {
            System.setProperty(FashionMnist.DIRECTORY_PROPERTY, dir.toString());
            assertThat(FashionMnist.defaultDirectory()).isEqualTo(dir);
        } finally {
            if (before == null) {
                System.clearProperty(FashionMnist.DIRECTORY_PROPERTY);
            } else {
                System.setProperty(FashionMnist.DIRECTORY_PROPERTY, before);
            }
        }
    }
}
