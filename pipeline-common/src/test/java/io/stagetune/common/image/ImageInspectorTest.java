package io.stagetune.common.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector(1_000_000);
    private final byte[] png = TestImages.firstTrainPng();
    private final byte[] jpeg = TestImages.encode(rgb(TestImages.firstTrainGray()), "jpg");

    @Test
    void acceptsRealPngAndJpeg() throws Exception {
        assertThat(inspector.inspect(png)).isEqualTo(new ImageInspector.Image(ImageFormat.PNG, 28, 28));
        assertThat(inspector.inspect(jpeg)).isEqualTo(new ImageInspector.Image(ImageFormat.JPEG, 28, 28));
    }

    @Test
    void rejectsNonImagesByContentNotName() {
        assertThatThrownBy(() -> inspector.inspect("just text, named x.png".getBytes()))
                .isInstanceOf(RejectedFileException.class).hasMessage("not a PNG or JPEG image")
                .extracting(e -> ((RejectedFileException) e).code()).isEqualTo("not-image");
        byte[] gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0};
        assertThatThrownBy(() -> inspector.inspect(gif)).hasMessage("not a PNG or JPEG image");
    }

    @Test
    void rejectsTruncatedImages() {
        byte[] bytes = png;
        assertThatThrownBy(() -> inspector.inspect(Arrays.copyOf(bytes, bytes.length / 2)))
                .isInstanceOf(RejectedFileException.class).hasMessageStartingWith("corrupt or truncated PNG image");
        assertThatThrownBy(() -> inspector.inspect(Arrays.copyOf(jpeg, jpeg.length / 2)))
                .isInstanceOf(RejectedFileException.class).hasMessageStartingWith("corrupt or truncated JPEG image");
    }

    @Test
    void rejectsDecompressionBombsFromTheHeader() {
        byte[] bomb = TestImages.encode(new BufferedImage(2000, 1000, BufferedImage.TYPE_BYTE_GRAY), "png");
        assertThat(bomb.length).isLessThan(20_000);
        assertThatThrownBy(() -> inspector.inspect(bomb))
                .isInstanceOf(RejectedFileException.class)
                .hasMessage("image too large: 2000x1000 pixels, the limit is 1000000 pixels")
                .extracting(e -> ((RejectedFileException) e).code()).isEqualTo("too-many-pixels");
    }

    private static BufferedImage rgb(BufferedImage gray) {
        BufferedImage rgb = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(gray, 0, 0, null);
        return rgb;
    }
}
