package io.stagetune.common.image;

import io.stagetune.common.Fixtures;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Images for the preprocessing tests: the committed Fashion-MNIST sample and images made from it. */
final class TestImages {

    /** No normalisation: outputs are the 8-bit values / 255, so pixel positions are easy to check. */
    static final List<Float> ZERO = List.of(0f, 0f, 0f);
    static final List<Float> ONE = List.of(1f, 1f, 1f);

    private TestImages() {
    }

    static byte[] firstTrainPng() {
        return read(Fixtures.firstTrainImage());
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first train example as ImageIO reads it: 8-bit grayscale, the raster holds the file's values. */
    static BufferedImage firstTrainGray() {
        try {
            BufferedImage image = ImageIO.read(Fixtures.firstTrainImage().toFile());
            if (image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
                throw new IllegalStateException("expected an 8-bit grayscale PNG, got type " + image.getType());
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int gray(BufferedImage grayImage, int x, int y) {
        return grayImage.getRaster().getSample(x, y, 0);
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static BufferedImage uniform(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** A 160x120 colour image composed from sample images (by scripts/make-preprocessing-reference.py). */
    static BufferedImage colourScene() {
        return Images.decode(read(Fixtures.preprocessingReference().resolve("scene.png")));
    }
}
