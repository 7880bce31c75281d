package io.stagetune.trainer.worker;

import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.trainer.training.ImageShape;
import io.stagetune.trainer.training.LabelledImageSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Images of one split, decoded once into memory and preprocessed per batch with the shared {@link Preprocessor}:
 * the train transform (random resized crop, flip) for training, the eval transform for validation.
 */
public final class DecodedImages implements LabelledImageSource {

    private final List<BufferedImage> images;
    private final int[] labels;
    private final List<String> keys;
    private final Preprocessor preprocessor;
    private final ImageShape shape;

    private DecodedImages(List<BufferedImage> images, int[] labels, List<String> keys, Preprocessor preprocessor) {
        this.images = images;
        this.labels = labels;
        this.keys = keys;
        this.preprocessor = preprocessor;
        int crop = preprocessor.preprocessing().crop();
        this.shape = new ImageShape(3, crop, crop);
    }

    /**
     * Decodes the files; {@code labels[i]} is the index of file i's label in the stage's label list, {@code keys[i]}
     * its content hash (sha256).
     */
    public static DecodedImages decode(List<Path> files, int[] labels, List<String> keys, Preprocessor preprocessor) {
        if (files.size() != labels.length || files.size() != keys.size()) {
            throw new IllegalArgumentException(files.size() + " files, " + labels.length + " labels, " + keys.size()
                    + " keys");
        }
        List<BufferedImage> images = files.parallelStream().map(DecodedImages::read).toList();
        return new DecodedImages(images, labels, List.copyOf(keys), preprocessor);
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

    @Override
    public int size() {
        return images.size();
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
        preprocessor.evalTransform(images.get(index), target, offset);
    }

    @Override
    public void fillForTraining(int index, float[] target, int offset, Random random) {
        preprocessor.trainTransform(images.get(index), random, target, offset);
    }

    @Override
    public String contentKey(int index) {
        return keys.get(index);
    }

    /** The eval transform is the preprocessing's resize, crop and normalisation. */
    @Override
    public String evalTransformId() {
        Preprocessing p = preprocessor.preprocessing();
        return "eval resize=" + p.resize() + " crop=" + p.crop() + " mean=" + p.mean() + " std=" + p.std();
    }
}
