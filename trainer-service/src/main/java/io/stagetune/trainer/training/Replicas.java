package io.stagetune.trainer.training;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The network on every training device, for data-parallel training. Replica 0, the primary, is the network the
 * stage validates, saves and resumes; the others are loaded from the same backbone file on their devices and start
 * as exact copies of the primary. A step splits the batch into one contiguous shard per replica; the replicas run
 * forward and backward at the same time, each on its own thread (libtorch's autograd state is per thread), and
 * {@link DiscriminativeSgd} sums their gradients and updates them all alike.
 *
 * <p>This is what torch's DistributedDataParallel does inside one process. torch's {@code DataParallel} cannot
 * replicate TorchScript modules, and DJL's multi-device parameter store does not reach inside a TorchScript block,
 * hence this class. BatchNorm layers that train normalise with their shard's statistics, and the running
 * statistics that are saved are the primary's, as with DistributedDataParallel's default of broadcasting the
 * first process's buffers.
 */
final class Replicas implements AutoCloseable {

    private final List<StageModel> models;
    private final ExecutorService threads;

    private Replicas(List<StageModel> models) {
        this.models = List.copyOf(models);
        this.threads = models.size() == 1 ? null : Executors.newFixedThreadPool(models.size() - 1, runnable -> {
            Thread thread = new Thread(() -> {
                // Per thread, like the training thread's: see StageTrainer.train.
                JniUtils.setGraphExecutorOptimize(false);
                JniUtils.setGradMode(false);
                runnable.run();
            }, "replica");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Replicas of {@code primary} on {@code devices} (the first is the primary's own): each loads {@code backbone}
     * on its device, gets {@code prepare} (freezing), then the primary's parameters.
     */
    static Replicas of(StageModel primary, List<Device> devices, Path backbone, Consumer<StageModel> prepare)
            throws IOException {
        List<StageModel> models = new ArrayList<>(List.of(primary));
        try {
            for (Device device : devices.subList(1, devices.size())) {
                StageModel replica = StageModel.load(backbone, primary.inputShape(), primary.labels(), null, device);
                models.add(replica);
                prepare.accept(replica);
                replica.copyParametersFrom(primary);
            }
        } catch (IOException | RuntimeException e) {
            models.subList(1, models.size()).forEach(StageModel::close);
            throw e;
        }
        return new Replicas(models);
    }

    /** The networks, the primary first. */
    List<StageModel> models() {
        return models;
    }

    /** What a replica does with its shard: forward, backward of the loss times {@code share}, and totals. */
    @FunctionalInterface
    interface ShardStep {
        ShardTotals run(StageModel replica, NDList shard, float share);
    }

    /** Loss (a shard's mean loss times its images) and correct predictions of a shard. */
    record ShardTotals(double lossSum, long correct) {
    }

    /**
     * Runs {@code step} on every replica with its shard of {@code batch} (replicas beyond the batch's size get
     * none), in a sub-manager of the replica's that is closed afterwards, and returns the sums over the shards.
     */
    ShardTotals forwardBackward(TrainingBatch batch, ShardStep step) {
        int size = batch.size();
        int shards = Math.min(models.size(), size);
        List<Future<ShardTotals>> others = new ArrayList<>();
        for (int i = 1; i < shards; i++) {
            int replica = i;
            others.add(threads.submit(() -> runShard(replica, shards, batch, step)));
        }
        ShardTotals first;
        try {
            first = runShard(0, shards, batch, step);
        } catch (RuntimeException e) {
            // The others use the same batch and networks: let them finish before anything is closed.
            others.forEach(Replicas::awaitQuietly);
            throw e;
        }
        double lossSum = first.lossSum();
        long correct = first.correct();
        for (Future<ShardTotals> other : others) {
            ShardTotals totals = await(other);
            lossSum += totals.lossSum();
            correct += totals.correct();
        }
        return new ShardTotals(lossSum, correct);
    }

    private ShardTotals runShard(int replica, int shards, TrainingBatch batch, ShardStep step) {
        int size = batch.size();
        // Contiguous shards whose sizes differ by at most one, the larger ones first.
        int base = size / shards;
        int extra = size % shards;
        int from = replica * base + Math.min(replica, extra);
        int to = from + base + (replica < extra ? 1 : 0);
        StageModel model = models.get(replica);
        try (NDManager manager = model.model().getNDManager().newSubManager()) {
            return step.run(model, batch.slice(manager, from, to), (float) (to - from) / size);
        }
    }

    private static ShardTotals await(Future<ShardTotals> pending) {
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a replica trained", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("a replica failed", e.getCause());
        }
    }

    private static void awaitQuietly(Future<ShardTotals> pending) {
        try {
            pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // the first failure is the one reported
        }
    }

    /** Closes the replicas it loaded (not the primary) and their threads. */
    @Override
    public void close() {
        if (threads != null) {
            threads.shutdownNow();
        }
        models.subList(1, models.size()).forEach(StageModel::close);
    }
}
