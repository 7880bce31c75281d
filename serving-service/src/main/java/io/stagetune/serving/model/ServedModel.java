package io.stagetune.serving.model;

import io.stagetune.common.image.Preprocessor;
import io.stagetune.common.registry.VersionView;
import io.stagetune.inference.CheckpointModel;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * One version of a model, loaded and taking requests through its own {@link Batcher}. Reference counted: the
 * holder ({@link ServedModels}) owns one reference until the version is swapped out, each request one while it
 * runs; the network, its predictors and its local files are released when the last reference goes, so requests
 * in flight during a swap finish on this version and nothing is closed under them. It carries no alias: the same
 * loaded version may be served under the production alias and run as the shadow at once (one network, one batcher).
 */
public final class ServedModel {

    private static final Logger LOG = Logger.getLogger(ServedModel.class);

    private final VersionView version;
    private final String datasetId;
    private final CheckpointModel network;
    private final Batcher batcher;
    private final Path folder;
    private final AtomicInteger references = new AtomicInteger(1);
    private final Runnable onClose;

    /**
     * @param datasetId the dataset the version was trained on (null when unknown)
     * @param onClose   runs once the version is closed (the count of open versions, a metric)
     */
    public ServedModel(VersionView version, String datasetId, CheckpointModel network, Path folder, int workers,
                       int maxBatchSize, Duration maxWait, IntConsumer batchSizes, Runnable onClose) {
        this.version = version;
        this.onClose = onClose;
        this.datasetId = datasetId;
        this.network = network;
        this.folder = folder;
        this.batcher = new Batcher(version.model() + "-v" + version.version(), network, workers, maxBatchSize,
                maxWait, batchSizes);
    }

    public String model() {
        return version.model();
    }

    public long version() {
        return version.version();
    }

    /** The dataset this version was trained on, from its registry lineage or its checkpoint; may be null. */
    public String datasetId() {
        return datasetId;
    }

    public List<String> labels() {
        return network.labels();
    }

    public Preprocessor preprocessor() {
        return network.preprocessor();
    }

    /** Head outputs [count][classes] of {@code count} preprocessed images, computed in a shared batch. */
    public CompletableFuture<float[][]> forward(float[] inputs, int count) {
        return batcher.submit(inputs, count);
    }

    /** The most images one forward takes now: the configured maximum, or less after {@link #limitBatch}. */
    public int maxBatchSize() {
        return batcher.maxSize();
    }

    /** Caps the images per forward (a smaller batch ran faster per image at warm-up). */
    public void limitBatch(int maxSize) {
        batcher.limit(maxSize);
    }

    /**
     * Images per second of a forward at each of {@code sizes}, run directly on the calling thread (not through the
     * batcher, whose wait for more requests would count); for a version not yet serving, whose warm-up ran every
     * size already. The sizes take turns, one timed forward each per round, for at least {@code minRounds} rounds
     * and {@code minTime}, at most {@code maxRounds}: whatever else the machine does meanwhile (the previous
     * version still serving) slows every size alike. Each size's median is kept, so one slow run (a first run
     * on this thread, a collection) does not count.
     */
    public Map<Integer, Double> forwardRates(List<Integer> sizes, int minRounds, int maxRounds, Duration minTime) {
        int floats = network.preprocessor().outputLength();
        float[] inputs = new float[sizes.stream().mapToInt(Integer::intValue).max().orElse(0) * floats];
        Map<Integer, List<Long>> times = new LinkedHashMap<>();
        for (int size : sizes) {
            times.put(size, new ArrayList<>());
        }
        long began = System.nanoTime();
        for (int round = 0; round < maxRounds
                && (round < minRounds || System.nanoTime() - began < minTime.toNanos()); round++) {
            times.forEach((size, taken) -> {
                long start = System.nanoTime();
                network.logits(inputs, size);
                taken.add(Math.max(System.nanoTime() - start, 1));
            });
        }
        Map<Integer, Double> rates = new LinkedHashMap<>();
        times.forEach((size, taken) -> {
            Collections.sort(taken);
            rates.put(size, size / (taken.get(taken.size() / 2) / 1e9));
        });
        return rates;
    }

    /** Takes a reference for a request; false once the version is closed (the caller reads the holder again). */
    boolean tryAcquire() {
        while (true) {
            int count = references.get();
            if (count == 0) {
                return false;
            }
            if (references.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the version. */
    void release() {
        if (references.decrementAndGet() == 0) {
            closeNow();
        }
    }

    /** Closes a version that never took traffic (a failed warm-up or check). */
    public void discard() {
        release();
    }

    private void closeNow() {
        batcher.close();
        network.close();
        deleteFolder(folder);
        onClose.run();
        LOG.infof("model %s version %d closed", model(), version());
    }

    /** Deletes a version's local folder and everything in it. */
    public static void deleteFolder(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
