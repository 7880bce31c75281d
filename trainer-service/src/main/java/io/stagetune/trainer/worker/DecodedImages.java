package io.stagetune.trainer.worker;

import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.trainer.training.ImageShape;
import io.stagetune.trainer.training.LabelledImageSource;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Images of one split, decoded once and preprocessed per batch with the shared {@link Preprocessor}: the train
 * transform (random resized crop, flip) for training, the eval transform for validation.
 * <p>
 * The decoded pixels live in a file (8-bit RGB, 3 bytes per pixel), not on the heap: the page cache holds them
 * while memory allows, and a split of photos does not exhaust the JVM's heap (a 12-megapixel photo is 48 MB as a
 * Java image). Images are first shrunk so that their shorter side is at most {@link #presize} (twice the crop, and
 * at least the resize), as fastai's presizing does: the train transform's crops then come from at least as many
 * pixels as they have on a typical ImageNet image, and the eval transform's resize starts from enough. Smaller
 * images are kept as they are, bit for bit.
 */
public final class DecodedImages implements LabelledImageSource, AutoCloseable {

    private final FileChannel pixels;
    private final long[] offsets;
    private final int[] widths;
    private final int[] heights;
    private final int[] labels;
    private final List<String> keys;
    private final Preprocessor preprocessor;
    private final ImageShape shape;
    private final long bytes;

    private DecodedImages(FileChannel pixels, long[] offsets, int[] widths, int[] heights, int[] labels,
                          List<String> keys, Preprocessor preprocessor, long bytes) {
        this.pixels = pixels;
        this.offsets = offsets;
        this.widths = widths;
        this.heights = heights;
        this.labels = labels;
        this.keys = keys;
        this.preprocessor = preprocessor;
        this.bytes = bytes;
        int crop = preprocessor.preprocessing().crop();
        this.shape = new ImageShape(3, crop, crop);
    }

    /** The longest shorter side an image is decoded to: twice the crop, at least the resize. */
    public static int presize(Preprocessing preprocessing) {
        return Math.max(preprocessing.resize(), 2 * preprocessing.crop());
    }

    /**
     * Decodes the files into {@code pixelFile} (created or truncated; deleted with the stage's work folder);
     * {@code labels[i]} is the index of file i's label in the stage's label list, {@code keys[i]} its content hash
     * (sha256).
     */
    public static DecodedImages decode(List<Path> files, int[] labels, List<String> keys, Preprocessor preprocessor,
                                       Path pixelFile) {
        if (files.size() != labels.length || files.size() != keys.size()) {
            throw new IllegalArgumentException(files.size() + " files, " + labels.length + " labels, " + keys.size()
                    + " keys");
        }
        int presize = presize(preprocessor.preprocessing());
        long[] offsets = new long[files.size()];
        int[] widths = new int[files.size()];
        int[] heights = new int[files.size()];
        AtomicLong end = new AtomicLong();
        FileChannel channel;
        try {
            // Truncated: a worker that died mid-stage leaves its work folder behind for the redelivered command.
            channel = FileChannel.open(pixelFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the decoded images' file " + pixelFile, e);
        }
        try {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                BufferedImage image = Images.shrink(read(files.get(i)), presize);
                int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
                ByteBuffer packed = ByteBuffer.allocate(rgb.length * 3);
                for (int pixel : rgb) {
                    packed.put((byte) (pixel >> 16)).put((byte) (pixel >> 8)).put((byte) pixel);
                }
                widths[i] = image.getWidth();
                heights[i] = image.getHeight();
                offsets[i] = end.getAndAdd(packed.capacity());
                write(channel, packed.flip(), offsets[i], pixelFile);
            });
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        return new DecodedImages(channel, offsets, widths, heights, labels, List.copyOf(keys), preprocessor,
                end.get());
    }

    private static BufferedImage read(Path file) {
        try {
            return Images.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached image " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cached image " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static void write(FileChannel channel, ByteBuffer buffer, long position, Path file) {
        try {
            for (long at = position; buffer.hasRemaining(); ) {
                at += channel.write(buffer, at);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write decoded images to " + file, e);
        }
    }

    /** Image {@code index} as decoded (and shrunk), read back from the file. */
    BufferedImage image(int index) {
        int width = widths[index];
        int height = heights[index];
        ByteBuffer packed = ByteBuffer.allocate(width * height * 3);
        try {
            for (long at = offsets[index]; packed.hasRemaining(); ) {
                int read = pixels.read(packed, at);
                if (read < 0) {
                    throw new IOException("the file ends before image " + index);
                }
                at += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read decoded image " + index, e);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] bytes = packed.array();
        for (int i = 0, b = 0; i < rgb.length; i++, b += 3) {
            rgb[i] = (bytes[b] & 0xFF) << 16 | (bytes[b + 1] & 0xFF) << 8 | (bytes[b + 2] & 0xFF);
        }
        return image;
    }

    /** Bytes of decoded pixels in the file. */
    public long bytes() {
        return bytes;
    }

    @Override
    public int size() {
        return offsets.length;
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

    @Override
    public void close() {
        try {
            pixels.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the decoded images' file", e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the decoding failure is what matters
        }
    }
}
