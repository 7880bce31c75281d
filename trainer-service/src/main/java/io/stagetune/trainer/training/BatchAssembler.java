package io.stagetune.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;
import java.util.Random;

/**
 * Copies a range of a source's images into one reusable float buffer and hands it to the engine as a batch:
 * NDList(images [n, c, h, w], labels [n]).
 */
final class BatchAssembler {

    private final LabelledImageSource source;
    private final PreprocessingPool pool;
    private final float[] pixels;
    private final float[] labels;

    BatchAssembler(LabelledImageSource source, int batchSize) {
        this(source, batchSize, PreprocessingPool.inline());
    }

    BatchAssembler(LabelledImageSource source, int batchSize, PreprocessingPool pool) {
        this.source = source;
        this.pool = pool;
        this.pixels = new float[batchSize * source.shape().floats()];
        this.labels = new float[batchSize];
    }

    /**
     * The batch of images {@code order[from..to)}; augmented with {@code augmentation} when it is not null,
     * otherwise with the eval transform. The arrays belong to {@code manager}.
     */
    NDList assemble(NDManager manager, int[] order, int from, int to, Random augmentation) {
        int count = to - from;
        int floats = source.shape().floats();
        pool.fill(source, order, from, to, augmentation == null ? null : augmentation.nextLong(), pixels, labels);
        NDArray images = manager.create(FloatBuffer.wrap(pixels, 0, count * floats),
                StageModel.batchShape(source.shape(), count));
        return new NDList(images, manager.create(FloatBuffer.wrap(labels, 0, count), new Shape(count)));
    }

    /** Indices 0..n-1 in order. */
    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Indices 0..n-1 shuffled by {@code random} (Fisher-Yates). */
    static int[] shuffled(int n, Random random) {
        int[] order = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }
}
