package io.stagetune.trainer.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that preprocess the images of one batch together (read, augment, normalise into the batch buffer). One
 * thread suits the CPU, where libtorch's own threads use the cores and a batch's preprocessing is a small part of a
 * step; a GPU finishes a step long before one thread has prepared the next batch of photos, so its workers use the
 * host's cores. The batch is split into contiguous parts, one per thread, the caller's thread taking the first.
 * Augmentation is deterministic whatever the thread count: every image draws from its own {@link Random}, seeded
 * in batch order from the batch's seed.
 */
public final class PreprocessingPool implements AutoCloseable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final ExecutorService helpers;

    /** {@code threads} threads in all: the caller's and {@code threads - 1} helpers. */
    public PreprocessingPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("preprocessing needs at least one thread, got " + threads);
        }
        this.threads = threads;
        int pool = POOLS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread thread = new Thread(runnable, "preprocessing-" + pool + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The caller's thread alone. */
    public static PreprocessingPool inline() {
        return new PreprocessingPool(1);
    }

    public int threads() {
        return threads;
    }

    /**
     * Writes images {@code order[from..to)} of {@code source} and their labels at the start of {@code pixels} and
     * {@code labels}: augmented, each image with a seed drawn from {@code seed}, when it is not null; otherwise with
     * the eval transform.
     */
    public void fill(LabelledImageSource source, int[] order, int from, int to, Long seed, float[] pixels,
                     float[] labels) {
        int count = to - from;
        long[] seeds = null;
        if (seed != null) {
            Random random = new Random(seed);
            seeds = new long[count];
            for (int i = 0; i < count; i++) {
                seeds[i] = random.nextLong();
            }
        }
        int parts = helpers == null ? 1 : Math.max(1, Math.min(threads, count));
        List<Future<?>> pending = new ArrayList<>(parts - 1);
        long[] imageSeeds = seeds;
        for (int part = 1; part < parts; part++) {
            int partFrom = count * part / parts;
            int partTo = count * (part + 1) / parts;
            pending.add(helpers.submit(() -> fillPart(source, order, from, partFrom, partTo, imageSeeds, pixels,
                    labels)));
        }
        RuntimeException failure = null;
        try {
            fillPart(source, order, from, 0, count / parts, imageSeeds, pixels, labels);
        } catch (RuntimeException e) {
            failure = e;
        }
        RuntimeException helperFailure = awaitAll(pending);
        if (failure != null || helperFailure != null) {
            throw failure != null ? failure : helperFailure;
        }
    }

    private static void fillPart(LabelledImageSource source, int[] order, int batchFrom, int from, int to,
                                 long[] seeds, float[] pixels, float[] labels) {
        int floats = source.shape().floats();
        for (int i = from; i < to; i++) {
            int index = order[batchFrom + i];
            if (seeds == null) {
                source.fillForEvaluation(index, pixels, i * floats);
            } else {
                source.fillForTraining(index, pixels, i * floats, new Random(seeds[i]));
            }
            labels[i] = source.label(index);
        }
    }

    /** Waits for every part; the first failure among them, or null. */
    private static RuntimeException awaitAll(List<Future<?>> pending) {
        RuntimeException failure = null;
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while preprocessing a batch", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException(e.getCause());
                }
            }
        }
        return failure;
    }

    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
