package io.stagetune.serving.service;

import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.common.registry.VersionView;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.inference.CheckpointDownloader;
import io.stagetune.inference.CheckpointModel;
import io.stagetune.serving.config.ServingConfig;
import io.stagetune.serving.model.ServedModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Makes a registry version ready to take traffic: downloads its checkpoint into a folder of its own (never one a
 * served version reads), loads it, runs a forward at every batch size it will use (so the first requests do not pay
 * for TorchScript's optimisation passes), and checks it on a few seeded images. Anything that fails closes what was
 * loaded and throws; the caller keeps serving the old version.
 */
@ApplicationScoped
public class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class);
    /** The batch sizes are timed in turns, over at least 3 rounds and 100 ms (at most 20 rounds). */
    private static final int TIMED_ROUNDS = 3;
    private static final int MAX_TIMED_ROUNDS = 20;
    private static final Duration TIMED_AT_LEAST = Duration.ofMillis(100);

    private final ObjectStore store;
    private final ServingConfig config;
    private final ServingMetrics metrics;

    public ModelLoader(ObjectStore store, ServingConfig config, ServingMetrics metrics) {
        this.store = store;
        this.config = config;
        this.metrics = metrics;
    }

    public ServedModel load(VersionView version) throws Exception {
        if (version.checkpoint() == null) {
            throw new IllegalStateException("version " + version.version() + " of " + version.model()
                    + " has no checkpoint");
        }
        Path folder = config.cacheDir().resolve(version.model())
                .resolve("v" + version.version() + "-" + UUID.randomUUID());
        Files.createDirectories(folder);
        CheckpointModel network;
        String datasetId = version.datasetId();
        try {
            new CheckpointDownloader(store).download(version.checkpoint(), folder);
            if (datasetId == null && Files.isRegularFile(folder.resolve(CheckpointManifest.FILE))) {
                // Registered without its lineage: the checkpoint itself names the dataset it was trained on.
                datasetId = EventJson.readDocument(Files.readAllBytes(folder.resolve(CheckpointManifest.FILE)),
                        CheckpointManifest.class).datasetId();
            }
            network = CheckpointModel.load(folder);
        } catch (Exception | Error e) {
            deleteQuietly(folder);
            throw e;
        }
        metrics.versionOpened();
        ServedModel served = new ServedModel(version, datasetId, network, folder, config.batch().workers(),
                config.batch().maxSize(), config.batch().maxWait(), metrics.batchSizes(version.model()),
                metrics::versionClosed);
        try {
            if (version.labels() != null && !version.labels().equals(network.labels())) {
                throw new IllegalStateException("checkpoint labels " + network.labels()
                        + " differ from the registry's " + version.labels());
            }
            warmUp(served);
            check(served);
            return served;
        } catch (Exception | Error e) {
            served.discard();
            throw e;
        }
    }

    private void warmUp(ServedModel served) throws Exception {
        int floats = served.preprocessor().outputLength();
        List<Integer> sizes = batchSizes(config.batch().maxSize());
        boolean tune = config.batch().tune() && sizes.size() > 1;
        // Through the batcher, so that its worker threads have run every size; timing runs each size again.
        for (int size : sizes) {
            for (int run = 0; run < (tune ? 1 : 2); run++) {
                await(served.forward(new float[size * floats], size));
            }
        }
        if (!tune) {
            return;
        }
        Map<Integer, Double> rates = served.forwardRates(sizes, TIMED_ROUNDS, MAX_TIMED_ROUNDS, TIMED_AT_LEAST);
        int limit = tunedMaxSize(rates, config.batch().tuneShare());
        served.limitBatch(limit);
        LOG.infof("model %s version %d: batches of at most %d images (images/s by batch size at warm-up: %s)",
                served.model(), served.version(), limit, describe(rates));
    }

    /**
     * The largest batch size whose images/s is at least {@code share} of the best size's: the best size itself
     * or a larger one almost as fast, which keeps fewer requests queued behind each forward.
     */
    static int tunedMaxSize(Map<Integer, Double> imagesPerSecond, double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("serving.batch.tune-share must be above 0 and at most 1, got " + share);
        }
        double best = imagesPerSecond.values().stream().mapToDouble(Double::doubleValue).max()
                .orElseThrow(() -> new IllegalArgumentException("no batch size was timed"));
        return imagesPerSecond.entrySet().stream().filter(entry -> entry.getValue() >= share * best)
                .mapToInt(Map.Entry::getKey).max().orElseThrow();
    }

    private static String describe(Map<Integer, Double> rates) {
        StringBuilder text = new StringBuilder();
        rates.forEach((size, rate) -> text.append(text.isEmpty() ? "" : ", ").append(size).append(": ")
                .append(String.format(Locale.ROOT, "%.1f", rate)));
        return text.toString();
    }

    /** Powers of two up to the maximum, and the maximum. */
    static List<Integer> batchSizes(int max) {
        List<Integer> sizes = new ArrayList<>();
        for (int size = 1; size < max; size *= 2) {
            sizes.add(size);
        }
        sizes.add(max);
        return sizes;
    }

    /** Seeded images of several sizes must give finite outputs, one per label, the same alone as in a batch. */
    private void check(ServedModel served) throws Exception {
        int count = config.reload().checkImages();
        if (count < 1) {
            return;
        }
        Preprocessor preprocessor = served.preprocessor();
        int floats = preprocessor.outputLength();
        Random random = new Random(17);
        float[] inputs = new float[count * floats];
        for (int i = 0; i < count; i++) {
            preprocessor.evalTransform(noise(random, 40 + random.nextInt(300), 40 + random.nextInt(300)), inputs,
                    i * floats);
        }
        float[][] batch = await(served.forward(inputs, count));
        float[][] single = await(served.forward(Arrays.copyOf(inputs, floats), 1));
        for (float[] row : batch) {
            if (row.length != served.labels().size()) {
                throw new IllegalStateException("the head gives " + row.length + " outputs for "
                        + served.labels().size() + " labels");
            }
            for (float value : row) {
                if (!Float.isFinite(value)) {
                    throw new IllegalStateException("check images give non-finite outputs");
                }
            }
        }
        if (CheckpointModel.argMax(single[0]) != CheckpointModel.argMax(batch[0])) {
            throw new IllegalStateException("a check image is classified differently alone and in a batch");
        }
    }

    private static BufferedImage noise(Random random, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }


    private static float[][] await(CompletableFuture<float[][]> result) throws Exception {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static void deleteQuietly(Path folder) {
        try {
            ServedModel.deleteFolder(folder);
        } catch (UncheckedIOException ignored) {
            // A leftover folder of a failed load is harmless: every load uses a new one.
        }
    }
}
