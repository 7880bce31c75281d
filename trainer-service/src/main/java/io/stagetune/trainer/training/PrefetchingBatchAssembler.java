package io.stagetune.trainer.training;

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
 * Batches with prefetch: while the engine works on batch k, a background thread decodes (and augments) batch k+1
 * into a second buffer, helped by the {@link PreprocessingPool}'s threads, so the model does not wait for
 * preprocessing. Each training batch's augmentation comes from
 * its own seed, drawn in batch order from the epoch's random on the caller's thread, so results do not depend on
 * thread timing. A batch stays valid until the next call to {@link #assemble}.
 */
final class PrefetchingBatchAssembler implements AutoCloseable {

    private final LabelledImageSource source;
    private final PreprocessingPool pool;
    private final int batchSize;
    private final Buffers[] buffers;
    private final ExecutorService filler;
    private Future<Buffers> next;
    private int[] nextOrder;
    private int nextFrom = -1;

    PrefetchingBatchAssembler(LabelledImageSource source, int batchSize, PreprocessingPool pool) {
        this.source = source;
        this.pool = pool;
        this.batchSize = batchSize;
        this.buffers = new Buffers[]{new Buffers(batchSize, source.shape()), new Buffers(batchSize, source.shape())};
        this.filler = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "batch-prefetch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The batch {@code order[from..to)}, augmented by the train transform with seeds drawn from {@code random}, or
     * with the eval transform when {@code random} is null; starts preparing the one after it.
     */
    TrainingBatch assemble(int[] order, int from, int to, Random random) {
        Buffers filled;
        if (next != null && nextOrder == order && nextFrom == from) {
            filled = await(next);
        } else {
            cancelPending();
            filled = fill(buffers[0], order, from, to, random == null ? null : random.nextLong());
        }
        next = null;
        if (to < order.length) {
            Long seed = random == null ? null : random.nextLong();
            int nextTo = Math.min(to + batchSize, order.length);
            Buffers target = filled == buffers[0] ? buffers[1] : buffers[0];
            nextOrder = order;
            nextFrom = to;
            next = filler.submit(() -> fill(target, order, to, nextTo, seed));
        }
        return filled;
    }

    private Buffers fill(Buffers target, int[] order, int from, int to, Long seed) {
        pool.fill(source, order, from, to, seed, target.pixels, target.labels);
        target.count = to - from;
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

    /** A batch in host memory: float CHW pixels and label indices. */
    private static final class Buffers implements TrainingBatch {
        final ImageShape shape;
        final float[] pixels;
        final float[] labels;
        int count;

        Buffers(int batchSize, ImageShape shape) {
            this.shape = shape;
            this.pixels = new float[batchSize * shape.floats()];
            this.labels = new float[batchSize];
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public NDList slice(NDManager manager, int from, int to) {
            int floats = shape.floats();
            // create() copies (to the manager's device), so the buffer may be refilled once the step is done.
            return new NDList(
                    manager.create(FloatBuffer.wrap(pixels, from * floats, (to - from) * floats),
                            StageModel.batchShape(shape, to - from)),
                    manager.create(FloatBuffer.wrap(labels, from, to - from), new Shape(to - from)));
        }
    }
}
