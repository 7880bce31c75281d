package io.stagetune.trainer.worker;

import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.common.storage.AtomicFiles;
import io.stagetune.common.storage.CacheBudget;
import io.stagetune.trainer.training.ImageShape;
import io.stagetune.trainer.training.LabelledImageSource;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Images of one split, decoded once and preprocessed per batch with the shared {@link Preprocessor}: the train
 * transform (random resized crop, flip) for training, the eval transform for validation.
 * <p>
 * Decoded pixels live in files, not on the heap: the page cache holds them while memory allows, and a split of
 * photos does not exhaust the JVM's heap (a 12-megapixel photo is 48 MB as a Java image). They are
 * content-addressed, {@code <folder>/presize-<n>/<image sha256>.rgb} (width and height, then 8-bit RGB, 3 bytes per
 * pixel), so every later stage and run over the same images reads them instead of decoding again; the worker's
 * {@link CacheBudget} evicts them with the downloaded images. Images are first shrunk so that their shorter side
 * is at most {@link #presize} (twice the crop, and at least the resize), as fastai's presizing does: the train
 * transform's crops then come from at least as many pixels as they have on a typical ImageNet image, and the eval
 * transform's resize starts from enough. Smaller images are kept as they are, bit for bit.
 */
public final class DecodedImages implements LabelledImageSource {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{16,128}");
    private static final int HEADER = 2 * Integer.BYTES;

    private final Path[] files;
    private final int[] widths;
    private final int[] heights;
    private final int[] labels;
    private final List<String> keys;
    private final Preprocessor preprocessor;
    private final ImageShape shape;
    private final int decoded;

    private DecodedImages(Path[] files, int[] widths, int[] heights, int[] labels, List<String> keys,
                          Preprocessor preprocessor, int decoded) {
        this.files = files;
        this.widths = widths;
        this.heights = heights;
        this.labels = labels;
        this.keys = keys;
        this.preprocessor = preprocessor;
        this.decoded = decoded;
        int crop = preprocessor.preprocessing().crop();
        this.shape = new ImageShape(3, crop, crop);
    }

    /** The longest shorter side an image is decoded to: twice the crop, at least the resize. */
    public static int presize(Preprocessing preprocessing) {
        return Math.max(preprocessing.resize(), 2 * preprocessing.crop());
    }

    /**
     * The content keys among {@code keys} without a complete decoded file in {@code folder} for this preprocessing:
     * only their original files are needed by {@link #decode}.
     */
    public static Set<String> missing(List<String> keys, Preprocessing preprocessing, Path folder) {
        Path presized = folder.resolve("presize-" + presize(preprocessing));
        return keys.parallelStream().filter(key -> storedSize(presized.resolve(checked(key) + ".rgb")) == null)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The images of {@code files}, decoded into {@code folder} unless an earlier stage or run left them there;
     * {@code labels[i]} is the index of file i's label in the stage's label list, {@code keys[i]} its content hash
     * (sha256, lower-case hex), which names its decoded file. {@code files[i]} may be null when image i is decoded
     * already (not in {@link #missing}).
     */
    public static DecodedImages decode(List<Path> files, int[] labels, List<String> keys, Preprocessor preprocessor,
                                       Path folder) {
        if (files.size() != labels.length || files.size() != keys.size()) {
            throw new IllegalArgumentException(files.size() + " files, " + labels.length + " labels, " + keys.size()
                    + " keys");
        }
        keys.forEach(DecodedImages::checked);
        int presize = presize(preprocessor.preprocessing());
        Path presized = folder.resolve("presize-" + presize);
        Path[] decodedFiles = new Path[files.size()];
        int[] widths = new int[files.size()];
        int[] heights = new int[files.size()];
        AtomicInteger decodedNow = new AtomicInteger();
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            Path target = presized.resolve(keys.get(i) + ".rgb");
            decodedFiles[i] = target;
            int[] size = storedSize(target);
            if (size == null) {
                if (files.get(i) == null) {
                    throw new IllegalStateException("image " + keys.get(i)
                            + " has neither a decoded nor an original file");
                }
                size = decodeInto(files.get(i), presize, target);
                decodedNow.incrementAndGet();
            }
            widths[i] = size[0];
            heights[i] = size[1];
        });
        return new DecodedImages(decodedFiles, widths, heights, labels, List.copyOf(keys), preprocessor,
                decodedNow.get());
    }

    private static String checked(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a content key (lower-case hex): " + key);
        }
        return key;
    }

    /** Width and height of a complete decoded file (then marked as used), or null when there is none. */
    private static int[] storedSize(Path file) {
        if (!CacheBudget.touch(file)) {
            return null;
        }
        try {
            long length = Files.size(file);
            if (length < HEADER) {
                return null;
            }
            ByteBuffer header;
            try (InputStream in = Files.newInputStream(file)) {
                header = ByteBuffer.wrap(in.readNBytes(HEADER));
            }
            int width = header.getInt(0);
            int height = header.getInt(Integer.BYTES);
            return width > 0 && height > 0 && length == HEADER + 3L * width * height ? new int[] {width, height}
                    : null;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read decoded image " + file, e);
        }
    }

    private static int[] decodeInto(Path file, int presize, Path target) {
        BufferedImage image;
        try {
            image = Images.shrink(Images.decode(Files.readAllBytes(file)), presize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached image " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cached image " + file.getFileName() + ": " + e.getMessage(), e);
        }
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        ByteBuffer bytes = ByteBuffer.allocate(HEADER + rgb.length * 3);
        bytes.putInt(image.getWidth()).putInt(image.getHeight());
        for (int pixel : rgb) {
            bytes.put((byte) (pixel >> 16)).put((byte) (pixel >> 8)).put((byte) pixel);
        }
        try {
            AtomicFiles.write(target, bytes.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write decoded image " + target, e);
        }
        return new int[] {image.getWidth(), image.getHeight()};
    }

    /** Image {@code index} as decoded (and shrunk), read back from its file. */
    BufferedImage image(int index) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(files[index]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read decoded image " + files[index], e);
        }
        int width = widths[index];
        int height = heights[index];
        if (bytes.length != HEADER + 3L * width * height) {
            throw new IllegalStateException("decoded image " + files[index] + " changed while the stage used it");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0, b = HEADER; i < rgb.length; i++, b += 3) {
            rgb[i] = (bytes[b] & 0xFF) << 16 | (bytes[b + 1] & 0xFF) << 8 | (bytes[b + 2] & 0xFF);
        }
        return image;
    }

    /** Bytes of decoded pixels of the split. */
    public long bytes() {
        long total = 0;
        for (int i = 0; i < widths.length; i++) {
            total += 3L * widths[i] * heights[i];
        }
        return total;
    }

    /** Images this call decoded; the others were decoded by an earlier stage or run. */
    public int decoded() {
        return decoded;
    }

    @Override
    public int size() {
        return files.length;
    }

    @Override
    public ImageShape shape() {
        return shape;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public void fillForEvaluation(int index, float[] target, int offset) {
        preprocessor.evalTransform(image(index), target, offset);
    }

    @Override
    public void fillForTraining(int index, float[] target, int offset, Random random) {
        preprocessor.trainTransform(image(index), random, target, offset);
    }

    @Override
    public String contentKey(int index) {
        return keys.get(index);
    }

    /** The eval transform is the presizing, then the preprocessing's resize, crop and normalisation. */
    @Override
    public String evalTransformId() {
        Preprocessing p = preprocessor.preprocessing();
        return "eval presize=" + presize(p) + " resize=" + p.resize() + " crop=" + p.crop() + " mean=" + p.mean()
                + " std=" + p.std();
    }
}
