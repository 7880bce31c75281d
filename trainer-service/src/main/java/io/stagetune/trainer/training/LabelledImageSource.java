package io.stagetune.trainer.training;

import java.util.Random;

/**
 * Labelled images, already preprocessed, that the trainer copies into its float batch buffers.
 *
 * <p>This is the seam to the project's one preprocessing (pipeline-common): an implementation decodes image
 * {@code index}, applies the eval or the train transform and writes the normalised float CHW pixels into the
 * caller's buffer. Every image of a source has the same {@link #shape()}.
 */
public interface LabelledImageSource {

    /** Number of images. */
    int size();

    /** Channels, height and width every image is written with. */
    ImageShape shape();

    /** Index of image {@code index}'s label in the stage's label list. */
    int label(int index);

    /** Writes image {@code index} with the eval transform (deterministic) at {@code target[offset]}. */
    void fillForEvaluation(int index, float[] target, int offset);

    /** Writes image {@code index} with the train transform (augmentation drawn from {@code random}). */
    void fillForTraining(int index, float[] target, int offset, Random random);

    /**
     * A stable identity of image {@code index}'s content (its sha256), for caches that outlive a stage, or null when
     * the source has none.
     */
    default String contentKey(int index) {
        return null;
    }

    /**
     * Identifies the eval transform: two images with the same content key written by sources with the same id have
     * the same eval pixels. Null when the source has none.
     */
    default String evalTransformId() {
        return null;
    }
}
