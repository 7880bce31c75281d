package io.stagetune.ingest.service;

import io.stagetune.ingest.TestImages;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageInspectorTest {

    private final ImageInspector inspector = new ImageInspector(1_000_000);
    private final Path png = TestImages.pngs("train", "coat", 1).get(0);

    @Test
    void acceptsRealPngAndJpeg() throws Exception {
        assertThat(inspector.inspect(TestImages.bytes(png))).isEqualTo(new ImageInspector.Image(ImageFormat.PNG, 28, 28));
        assertThat(inspector.inspect(TestImages.jpeg(png))).isEqualTo(new ImageInspector.Image(ImageFormat.JPEG, 28, 28));
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
        byte[] bytes = TestImages.bytes(png);
        assertThatThrownBy(() -> inspector.inspect(Arrays.copyOf(bytes, bytes.length / 2)))
                .isInstanceOf(RejectedFileException.class).hasMessageStartingWith("corrupt or truncated PNG image");
        byte[] jpeg = TestImages.jpeg(png);
        assertThatThrownBy(() -> inspector.inspect(Arrays.copyOf(jpeg, jpeg.length / 2)))
                .isInstanceOf(RejectedFileException.class).hasMessageStartingWith("corrupt or truncated JPEG image");
    }

    @Test
    void rejectsDecompressionBombsFromTheHeader() {
        byte[] bomb = TestImages.blankPng(2000, 1000);
        assertThat(bomb.length).isLessThan(20_000);
        assertThatThrownBy(() -> inspector.inspect(bomb))
                .isInstanceOf(RejectedFileException.class)
                .hasMessage("image too large: 2000x1000 pixels, the limit is 1000000 pixels")
                .extracting(e -> ((RejectedFileException) e).code()).isEqualTo("too-many-pixels");
    }
}
