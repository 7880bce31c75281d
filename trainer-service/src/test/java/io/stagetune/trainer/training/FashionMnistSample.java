package io.stagetune.trainer.training;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Test stand-in for the project's preprocessing: the Fashion-MNIST sample PNGs (28x28 grayscale) decoded once,
 * replicated to 3 channels and scaled to [-1, 1]. Training examples are augmented with a horizontal flip and a
 * shift of up to 2 pixels, enough to exercise the trainer's augmented path.
 */
final class FashionMnistSample implements LabelledImageSource {

    static final int SIDE = 28;
    private static final ImageShape SHAPE = new ImageShape(3, SIDE, SIDE);

    private final List<String> labels;
    private final List<float[]> images = new ArrayList<>();
    private final List<Integer> imageLabels = new ArrayList<>();

    private FashionMnistSample(Path splitDirectory, int perLabel) throws IOException {
        try (Stream<Path> dirs = Files.list(splitDirectory)) {
            labels = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (int label = 0; label < labels.size(); label++) {
            List<Path> files;
            try (Stream<Path> pngs = Files.list(splitDirectory.resolve(labels.get(label)))) {
                files = pngs.filter(p -> p.toString().endsWith(".png")).sorted().limit(perLabel).toList();
            }
            for (Path file : files) {
                images.add(decode(file));
                imageLabels.add(label);
            }
        }
    }

    static Path root() {
        return Path.of(System.getProperty("stagetune.fixtures", "../fixtures"));
    }

    static FashionMnistSample train() throws IOException {
        return new FashionMnistSample(root().resolve("fashion-mnist-sample/train"), Integer.MAX_VALUE);
    }

    static FashionMnistSample test() throws IOException {
        return new FashionMnistSample(root().resolve("fashion-mnist-sample/test"), Integer.MAX_VALUE);
    }

    /** The first {@code perLabel} images of each label of a split. */
    static FashionMnistSample of(String split, int perLabel) throws IOException {
        return new FashionMnistSample(root().resolve("fashion-mnist-sample").resolve(split), perLabel);
    }

    List<String> labels() {
        return labels;
    }

    private static float[] decode(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null || image.getWidth() != SIDE || image.getHeight() != SIDE) {
            throw new IOException(file + " is not a 28x28 image");
        }
        Raster raster = image.getRaster();
        float[] pixels = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                pixels[y * SIDE + x] = raster.getSample(x, y, 0) / 127.5f - 1f;
            }
        }
        return pixels;
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public ImageShape shape() {
        return SHAPE;
    }

    @Override
    public int label(int index) {
        return imageLabels.get(index);
    }

    @Override
    public void fillForEvaluation(int index, float[] target, int offset) {
        write(images.get(index), target, offset, false, 0, 0);
    }

    @Override
    public void fillForTraining(int index, float[] target, int offset, Random random) {
        write(images.get(index), target, offset, random.nextBoolean(), random.nextInt(5) - 2, random.nextInt(5) - 2);
    }

    private static void write(float[] pixels, float[] target, int offset, boolean flip, int dx, int dy) {
        int plane = SIDE * SIDE;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int sx = (flip ? SIDE - 1 - x : x) + dx;
                int sy = y + dy;
                float value = sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE ? pixels[sy * SIDE + sx] : -1f;
                for (int c = 0; c < 3; c++) {
                    target[offset + c * plane + y * SIDE + x] = value;
                }
            }
        }
    }
}
