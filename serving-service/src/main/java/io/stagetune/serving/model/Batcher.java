package io.stagetune.serving.model;

import ai.djl.inference.Predictor;
import io.stagetune.inference.CheckpointModel;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Dynamic batching for one loaded version: a worker takes the oldest waiting request, then more until the batch
 * holds {@code maxSize} images or {@code maxWait} has passed since it took the first, and runs them as one
 * forward. A request is never split; one larger than {@code maxSize} runs alone. Each worker thread has its own
 * DJL {@link Predictor} (DJL's advice: predictors are not shared across threads); the network is shared.
 */
final class Batcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Batcher.class);

    private record Job(float[] inputs, int count, CompletableFuture<float[][]> result) {
    }

    private final CheckpointModel network;
    private volatile int maxSize;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    Batcher(String name, CheckpointModel network, int workers, int maxSize, Duration maxWait, IntConsumer batchSizes) {
        this.network = network;
        this.maxSize = maxSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchSizes = batchSizes;
        for (int i = 0; i < workers; i++) {
            Thread worker = new Thread(this::work, name + "-batch-" + i);
            worker.setDaemon(true);
            this.workers.add(worker);
            worker.start();
        }
    }

    /** Lowers (or restores) the most images per forward; batches formed from now on respect it. */
    void limit(int maxSize) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("a batch holds at least one image, got " + maxSize);
        }
        this.maxSize = maxSize;
    }

    int maxSize() {
        return maxSize;
    }

    /** Queues {@code count} preprocessed images (NCHW); completes with their head outputs [count][classes]. */
    CompletableFuture<float[][]> submit(float[] inputs, int count) {
        CompletableFuture<float[][]> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new CancellationException("model closed"));
            return result;
        }
        queue.add(new Job(inputs, count, result));
        return result;
    }

    private void work() {
        try (Predictor<float[], float[][]> predictor = network.newPredictor()) {
            Job carried = null;
            while (!closed) {
                Job first = carried != null ? carried : queue.take();
                carried = null;
                List<Job> batch = new ArrayList<>();
                batch.add(first);
                int images = first.count();
                int limit = maxSize;
                long deadline = System.nanoTime() + maxWaitNanos;
                while (images < limit) {
                    Job next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (images + next.count() > limit) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                    images += next.count();
                }
                run(predictor, batch, images);
            }
            if (carried != null) {
                carried.result().completeExceptionally(new CancellationException("model closed"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Predictor<float[], float[][]> predictor, List<Job> batch, int images) {
        try {
            float[] inputs;
            if (batch.size() == 1) {
                inputs = batch.get(0).inputs();
            } else {
                int floats = network.preprocessor().outputLength();
                inputs = new float[images * floats];
                int offset = 0;
                for (Job job : batch) {
                    System.arraycopy(job.inputs(), 0, inputs, offset, job.count() * floats);
                    offset += job.count() * floats;
                }
            }
            float[][] logits = predictor.predict(inputs);
            batchSizes.accept(images);
            int row = 0;
            for (Job job : batch) {
                float[][] own = new float[job.count()][];
                System.arraycopy(logits, row, own, 0, job.count());
                row += job.count();
                job.result().complete(own);
            }
        } catch (Exception | Error e) {
            LOG.errorf(e, "forward of %d images failed", images);
            batch.forEach(job -> job.result().completeExceptionally(e));
        }
    }

    /** Stops the workers (after their current forward) and closes their predictors; fails what is still queued. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Job job; (job = queue.poll()) != null; ) {
            job.result().completeExceptionally(new CancellationException("model closed"));
        }
    }
}
