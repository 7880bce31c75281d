package io.stagetune.common.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One subset (train or test) of the real Fashion-MNIST data set, read from its official IDX files as the
 * Debian package {@code dataset-fashion-mnist} installs them (gzipped or plain).
 */
public final class FashionMnist {

    public static final int IMAGE_SIZE = 28;

    /** Class names in class-index order 0..9, kebab-case so they are valid pipeline labels. */
    public static final List<String> CLASS_NAMES = List.of("t-shirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle-boot");

    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");
    /** System property, then environment variable, that override {@link #DEFAULT_DIRECTORY}. */
    public static final String DIRECTORY_PROPERTY = "stagetune.fashion-mnist.dir";
    public static final String DIRECTORY_ENVIRONMENT = "STAGETUNE_FASHION_MNIST_DIR";

    /** The two official files; {@code filePrefix} is how their names start (train-..., t10k-...). */
    public enum Subset {
        TRAIN("train"), TEST("t10k");

        private final String filePrefix;

        Subset(String filePrefix) {
            this.filePrefix = filePrefix;
        }

        public String filePrefix() {
            return filePrefix;
        }

        String imagesName() {
            return filePrefix + "-images-idx3-ubyte";
        }

        String labelsName() {
            return filePrefix + "-labels-idx1-ubyte";
        }
    }

    /**
     * One example: its position in the subset's files, its class index and its 28x28 pixels, row-major,
     * 0 = black. The pixel array is the example's own copy.
     */
    public record Example(Subset subset, int index, int label, byte[] pixels) {

        public String className() {
            return CLASS_NAMES.get(label);
        }

        /** An 8-bit grayscale image holding exactly the example's pixels. */
        public BufferedImage toImage() {
            BufferedImage image = new BufferedImage(IMAGE_SIZE, IMAGE_SIZE, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, IMAGE_SIZE, IMAGE_SIZE, pixels);
            return image;
        }

        public byte[] toPng() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
            try {
                ImageIO.write(toImage(), "png", out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot encode Fashion-MNIST example as PNG", e);
            }
            return out.toByteArray();
        }
    }

    private final Subset subset;
    private final byte[] labels;
    private final byte[] pixels;

    private FashionMnist(Subset subset, byte[] labels, byte[] pixels) {
        this.subset = subset;
        this.labels = labels;
        this.pixels = pixels;
    }

    /** {@value #DIRECTORY_PROPERTY} if set, else {@value #DIRECTORY_ENVIRONMENT} if set, else the Debian location. */
    public static Path defaultDirectory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY, System.getenv(DIRECTORY_ENVIRONMENT));
        return configured == null || configured.isBlank() ? DEFAULT_DIRECTORY : Path.of(configured);
    }

    public static boolean isInstalled() {
        return isInstalled(defaultDirectory());
    }

    /** Whether all four official files are in {@code directory}, gzipped or plain. */
    public static boolean isInstalled(Path directory) {
        for (Subset subset : Subset.values()) {
            if (find(directory, subset.imagesName()) == null || find(directory, subset.labelsName()) == null) {
                return false;
            }
        }
        return true;
    }

    public static FashionMnist load(Subset subset) throws IOException {
        return load(defaultDirectory(), subset);
    }

    public static FashionMnist load(Path directory, Subset subset) throws IOException {
        Path imagesFile = require(directory, subset.imagesName());
        Path labelsFile = require(directory, subset.labelsName());
        IdxReader.Images images = IdxReader.readImages(imagesFile);
        if (images.rows() != IMAGE_SIZE || images.columns() != IMAGE_SIZE) {
            throw new IOException(imagesFile + ": images are " + images.rows() + "x" + images.columns()
                    + ", Fashion-MNIST images are " + IMAGE_SIZE + "x" + IMAGE_SIZE);
        }
        byte[] labels = IdxReader.readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new IOException(labelsFile + ": " + labels.length + " labels, but " + imagesFile + " holds "
                    + images.count() + " images");
        }
        for (int i = 0; i < labels.length; i++) {
            if (Byte.toUnsignedInt(labels[i]) >= CLASS_NAMES.size()) {
                throw new IOException(labelsFile + ": label " + Byte.toUnsignedInt(labels[i]) + " of example " + i
                        + " is not a class index 0.." + (CLASS_NAMES.size() - 1));
            }
        }
        return new FashionMnist(subset, labels, images.pixels());
    }

    public Subset subset() {
        return subset;
    }

    public int size() {
        return labels.length;
    }

    public int label(int index) {
        return labels[Objects.checkIndex(index, size())];
    }

    public Example example(int index) {
        int from = Objects.checkIndex(index, size()) * IMAGE_SIZE * IMAGE_SIZE;
        byte[] copy = Arrays.copyOfRange(pixels, from, from + IMAGE_SIZE * IMAGE_SIZE);
        return new Example(subset, index, label(index), copy);
    }

    /** All examples in file order, each made when it is asked for. */
    public List<Example> examples() {
        return new AbstractList<>() {
            @Override
            public Example get(int index) {
                return example(index);
            }

            @Override
            public int size() {
                return FashionMnist.this.size();
            }
        };
    }

    private static Path require(Path directory, String name) throws IOException {
        Path file = find(directory, name);
        if (file == null) {
            throw new IOException("neither " + name + ".gz nor " + name + " in " + directory
                    + " (install the Debian package dataset-fashion-mnist or set " + DIRECTORY_PROPERTY + ")");
        }
        return file;
    }

    private static Path find(Path directory, String name) {
        for (Path candidate : List.of(directory.resolve(name + ".gz"), directory.resolve(name))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
