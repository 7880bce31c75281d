package io.stagetune.trainer.worker;

import io.stagetune.common.image.DecodedImageFiles;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.common.runtime.ParallelTasks;
import io.stagetune.common.storage.CacheBudget;
import io.stagetune.trainer.training.ImageShape;
import io.stagetune.trainer.training.LabelledImageSource;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Images of one split, decoded once and preprocessed per batch with the shared {@link Preprocessor}: the train
 * transform (random resized crop, flip) for training, the eval transform for validation.
 * <p>
 * Decoded pixels live in files, not on the heap: the page cache holds them while memory allows, and a split of
 * photos does not exhaust the JVM's heap (a 12-megapixel photo is 48 MB as a Java image). They are
 * content-addressed ({@link DecodedImageFiles}), so every later stage and run over the same images reads them
 * instead of decoding again; the worker's {@link CacheBudget} evicts them with the downloaded images. Images are first shrunk so that their shorter side
 * is at most {@link #presize} (twice the crop, and at least the resize), as fastai's presizing does: the train
 * transform's crops then come from at least as many pixels as they have on a typical ImageNet image, and the eval
 * transform's resize starts from enough. Smaller images are kept as they are, bit for bit.
 */
public final class DecodedImages implements LabelledImageSource {

    private final DecodedImageFiles files;
    private final int[] widths;
    private final int[] heights;
    private final int[] labels;
    private final List<String> keys;
    private final Preprocessor preprocessor;
    private final ImageShape shape;
    private final int decoded;

    private DecodedImages(DecodedImageFiles files, int[] widths, int[] heights, int[] labels, List<String> keys,
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
        return new DecodedImageFiles(folder, presize(preprocessing)).missing(keys);
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
        DecodedImageFiles decodedFiles = new DecodedImageFiles(folder, presize(preprocessor.preprocessing()));
        keys.forEach(decodedFiles::file);
        int[] widths = new int[files.size()];
        int[] heights = new int[files.size()];
        AtomicInteger decodedNow = new AtomicInteger();
        // A failure leaves only after every task has stopped, so nothing writes into the folder after this failed.
        ParallelTasks.forEach(files.size(), i -> {
            int[] size = decodedFiles.size(keys.get(i));
            if (size == null) {
                if (files.get(i) == null) {
                    throw new IllegalStateException("image " + keys.get(i)
                            + " has neither a decoded nor an original file");
                }
                BufferedImage image = decodedFiles.decode(keys.get(i), files.get(i));
                size = new int[] {image.getWidth(), image.getHeight()};
                decodedNow.incrementAndGet();
            }
            widths[i] = size[0];
            heights[i] = size[1];
        });
        return new DecodedImages(decodedFiles, widths, heights, labels, List.copyOf(keys), preprocessor,
                decodedNow.get());
    }

    /** Image {@code index} as decoded (and shrunk), read back from its file. */
    BufferedImage image(int index) {
        return files.read(keys.get(index), widths[index], heights[index]);
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
        return keys.size();
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
        return "eval presize=" + files.presize() + " resize=" + p.resize() + " crop=" + p.crop() + " mean=" + p.mean()
                + " std=" + p.std();
    }
}
