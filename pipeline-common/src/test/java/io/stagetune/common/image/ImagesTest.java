package io.stagetune.common.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;

import static io.stagetune.common.image.TestImages.encode;
import static io.stagetune.common.image.TestImages.firstTrainGray;
import static io.stagetune.common.image.TestImages.firstTrainPng;
import static io.stagetune.common.image.TestImages.gray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImagesTest {

    @Test
    void grayscalePngBecomesRgbWithTheFileValuesInEveryChannel() {
        BufferedImage gray = firstTrainGray();

        BufferedImage rgb = Images.decode(firstTrainPng());

        assertThat(rgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(rgb.getWidth()).isEqualTo(28);
        assertThat(rgb.getHeight()).isEqualTo(28);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int value = gray(gray, x, y);
                assertThat(rgb.getRGB(x, y) & 0xFFFFFF).as("pixel %d,%d", x, y).isEqualTo(value * 0x010101);
            }
        }
    }

    @Test
    void jpegDecodesToWhatImageIoDecodesAndCloseToTheImageItWasMadeFrom() throws IOException {
        BufferedImage scene = TestImages.colourScene();
        byte[] jpeg = encode(scene, "jpeg");

        BufferedImage decoded = Images.decode(jpeg);

        BufferedImage reference = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertThat(decoded.getRGB(0, 0, 160, 120, null, 0, 160))
                .isEqualTo(reference.getRGB(0, 0, 160, 120, null, 0, 160));

        assertThat(decoded.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(decoded.getWidth()).isEqualTo(160);
        assertThat(decoded.getHeight()).isEqualTo(120);
        long difference = 0;
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 160; x++) {
                int a = scene.getRGB(x, y);
                int b = decoded.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    difference += Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF));
                }
            }
        }
        assertThat(difference / (160.0 * 120 * 3)).as("mean absolute difference per channel").isLessThan(8);
    }

    @Test
    void grayscaleJpegIsReplicatedToThreeChannels() {
        BufferedImage decoded = Images.decode(encode(firstTrainGray(), "jpeg"));

        int[] pixels = decoded.getRGB(0, 0, 28, 28, null, 0, 28);
        assertThat(Arrays.stream(pixels))
                .allMatch(p -> ((p >> 16) & 0xFF) == (p & 0xFF) && ((p >> 8) & 0xFF) == (p & 0xFF));
        assertThat(Arrays.stream(pixels).map(p -> p & 0xFF).max().orElseThrow()).isGreaterThan(200);
    }

    @Test
    void paletteIsLookedUp() {
        byte[] reds = {(byte) 10, (byte) 250};
        byte[] greens = {(byte) 20, (byte) 128};
        byte[] blues = {(byte) 30, (byte) 0};
        BufferedImage indexed = new BufferedImage(4, 2, BufferedImage.TYPE_BYTE_BINARY,
                new IndexColorModel(1, 2, reds, greens, blues));
        indexed.getRaster().setSample(3, 1, 0, 1);

        BufferedImage rgb = Images.decode(encode(indexed, "png"));

        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x0A141E);
        assertThat(rgb.getRGB(3, 1) & 0xFFFFFF).isEqualTo(0xFA8000);
    }

    @Test
    void alphaIsDroppedNotBlended() {
        BufferedImage translucent = new BufferedImage(3, 3, BufferedImage.TYPE_INT_ARGB);
        translucent.setRGB(1, 1, 0x40C86432);

        BufferedImage rgb = Images.decode(encode(translucent, "png"));

        assertThat(rgb.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        assertThat(rgb.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xC86432);
    }

    @Test
    void sixteenBitGrayIsScaledToEightBits() {
        BufferedImage deep = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(0, 0, 0, 65535);
        deep.getRaster().setSample(1, 0, 0, 128 * 257);

        BufferedImage rgb = Images.decode(encode(deep, "png"));

        assertThat(rgb.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        assertThat(rgb.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x808080);
    }

    @Test
    void aPlainRgbImageIsUsedAsItIs() {
        BufferedImage rgb = TestImages.uniform(5, 4, 0x102030);
        assertThat(Images.toRgb(rgb)).isSameAs(rgb);
        assertThat(Images.toRgb(rgb.getSubimage(1, 1, 2, 2))).isNotSameAs(rgb)
                .satisfies(sub -> assertThat(sub.getWidth()).isEqualTo(2));
    }

    @Test
    void emptyAndNonImageBytesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> Images.decode(new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not an image: no bytes");
        assertThatThrownBy(() -> Images.decode("name,label\ncoat.png,coat\n".getBytes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an image: the bytes are neither PNG nor JPEG");
        assertThatThrownBy(() -> Images.decode(new byte[64]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an image")
                .hasMessageNotContaining("WBMP");
    }

    @Test
    void otherImageFormatsAreNamed() {
        assertThatThrownBy(() -> Images.decode(encode(TestImages.uniform(4, 4, 0xFF0000), "gif")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported image format GIF, expected PNG or JPEG");
    }

    @Test
    void truncatedPngIsRejectedWithTheReason() {
        byte[] png = firstTrainPng();

        assertThatThrownBy(() -> Images.decode(Arrays.copyOf(png, png.length / 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("corrupt or truncated PNG image: ")
                .hasMessageContaining("Unexpected end of ZLIB input stream");
    }

    @Test
    void truncatedJpegIsRejectedWithTheReason() {
        byte[] jpeg = encode(TestImages.colourScene(), "jpeg");

        assertThatThrownBy(() -> Images.decode(Arrays.copyOf(jpeg, jpeg.length * 2 / 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("corrupt or truncated JPEG image: ")
                .hasMessageContaining("Missing EOI marker");
    }

    @Test
    void corruptPngDataIsRejected() {
        byte[] png = firstTrainPng();
        byte[] damaged = png.clone();
        for (int i = 45; i < damaged.length - 20; i++) {
            damaged[i] = (byte) 0x5A;
        }

        assertThatThrownBy(() -> Images.decode(damaged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("corrupt or truncated PNG image: ");
    }

    @Test
    void tooManyPixelsAreRefusedBeforeDecoding() {
        assertThatThrownBy(() -> Images.decode(firstTrainPng(), 28 * 27))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image too large: 28x28 pixels, the limit is 756 pixels");
        assertThat(Images.decode(firstTrainPng(), 28 * 28).getWidth()).isEqualTo(28);
    }

    @Test
    void shrinkKeepsTheAspectRatioAndLeavesSmallImagesAsTheyAre() {
        BufferedImage wide = new BufferedImage(400, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 400; x++) {
                wide.setRGB(x, y, x < 200 ? 0xFF0000 : 0x0000FF);
            }
        }

        BufferedImage shrunk = Images.shrink(wide, 100);

        assertThat(shrunk.getWidth()).isEqualTo(200);
        assertThat(shrunk.getHeight()).isEqualTo(100);
        assertThat(shrunk.getRGB(10, 50) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(shrunk.getRGB(190, 50) & 0xFFFFFF).isEqualTo(0x0000FF);
        BufferedImage tall = Images.shrink(new BufferedImage(300, 900, BufferedImage.TYPE_INT_RGB), 100);
        assertThat(new int[] {tall.getWidth(), tall.getHeight()}).containsExactly(100, 300);
        assertThat(Images.shrink(wide, 200)).isSameAs(wide);
        assertThat(Images.shrink(wide, 500)).isSameAs(wide);
        assertThatThrownBy(() -> Images.shrink(wide, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
