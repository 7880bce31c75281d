package io.stagetune.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Training batches with prefetch: while the engine trains on batch k, a background thread decodes and augments
 * batch k+1 into a second buffer, so the model does not wait for preprocessing. Each batch's augmentation comes
 * from its own seed, drawn in batch order from the epoch's random on the caller's thread, so results do not
 * depend on thread timing.
 */
final class PrefetchingBatchAssembler implements AutoCloseable {

    private final LabelledImageSource source;
    private final int batchSize;
    private final Buffers[] buffers;
    private final ExecutorService filler;
    private Future<Buffers> next;
    private int[] nextOrder;
    private int nextFrom = -1;

    PrefetchingBatchAssembler(LabelledImageSource source, int batchSize) {
        this.source = source;
        this.batchSize = batchSize;
        this.buffers = new Buffers[]{new Buffers(batchSize, source.shape().floats()),
                new Buffers(batchSize, source.shape().floats())};
        this.filler = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "batch-prefetch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The augmented batch {@code order[from..to)}; starts preparing the one after it. */
    NDList assemble(NDManager manager, int[] order, int from, int to, Random random) {
        Buffers filled;
        if (next != null && nextOrder == order && nextFrom == from) {
            filled = await(next);
        } else {
            cancelPending();
            filled = fill(buffers[0], order, from, to, random.nextLong());
        }
        next = null;
        if (to < order.length) {
            long seed = random.nextLong();
            int nextTo = Math.min(to + batchSize, order.length);
            Buffers target = filled == buffers[0] ? buffers[1] : buffers[0];
            nextOrder = order;
            nextFrom = to;
            next = filler.submit(() -> fill(target, order, to, nextTo, seed));
        }
        // create() copies into engine memory, so the buffer may be refilled as soon as this returns.
        NDArray images = manager.create(FloatBuffer.wrap(filled.pixels, 0, filled.count * source.shape().floats()),
                StageModel.batchShape(source.shape(), filled.count));
        return new NDList(images, manager.create(FloatBuffer.wrap(filled.labels, 0, filled.count),
                new Shape(filled.count)));
    }

    private Buffers fill(Buffers target, int[] order, int from, int to, long seed) {
        Random augmentation = new Random(seed);
        int floats = source.shape().floats();
        target.count = to - from;
        for (int i = 0; i < target.count; i++) {
            int index = order[from + i];
            source.fillForTraining(index, target.pixels, i * floats, augmentation);
            target.labels[i] = source.label(index);
        }
        return target;
    }

    private static Buffers await(Future<Buffers> pending) {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing a batch", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(e.getCause());
        }
    }

    private void cancelPending() {
        if (next != null) {
            try {
                next.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException ignored) {
                // the abandoned batch's failure is of no interest
            }
            next = null;
        }
    }

    @Override
    public void close() {
        cancelPending();
        filler.shutdownNow();
    }

    private static final class Buffers {
        final float[] pixels;
        final float[] labels;
        int count;

        Buffers(int batchSize, int floats) {
            this.pixels = new float[batchSize * floats];
            this.labels = new float[batchSize];
        }
    }
}
