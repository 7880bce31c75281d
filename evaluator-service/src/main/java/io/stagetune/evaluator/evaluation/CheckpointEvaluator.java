package io.stagetune.evaluator.evaluation;

import io.stagetune.inference.CheckpointModel;
import io.stagetune.common.image.DecodedImageFiles;
import io.stagetune.common.image.Images;
import io.stagetune.common.image.Preprocessing;
import io.stagetune.common.image.Preprocessor;
import io.stagetune.common.runtime.ParallelTasks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a {@link CheckpointModel} over labelled test images in batches and tallies the predictions. Test labels
 * the model does not know get their own rows (the model can never be right about them), after the model's labels.
 * <p>
 * With a folder for decoded images, each test image with a content key is decoded once and kept there shrunk to
 * the model's resize ({@link DecodedImageFiles}): later evaluations of the same images (the run's other stages,
 * production on the same split, later dataset versions) read a small file instead of decoding a photo again. The
 * eval transform then only crops, so the pixels are those of torchvision's {@code Resize} (to 8 bits, as PIL's)
 * and {@code CenterCrop}. The next batch is decoded and transformed while the model works on the current one.
 * When every image has a content key, the evaluation also carries each image's prediction
 * ({@link ImagePredictions}), which the promotion gate pairs by image.
 */
public final class CheckpointEvaluator {

    private final int batchSize;
    private final Path decodedRoot;
    private final AtomicLong forwardPasses = new AtomicLong();

    /** Decodes every image from its file on every evaluation. */
    public CheckpointEvaluator(int batchSize) {
        this(batchSize, null);
    }

    /** Keeps decoded test images under {@code decodedRoot} (null: decodes them every time). */
    public CheckpointEvaluator(int batchSize, Path decodedRoot) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.decodedRoot = decodedRoot;
    }

    /** Batches run through a model so far: what reusing stored predictions saves. */
    public long forwardPasses() {
        return forwardPasses.get();
    }

    /** Where images evaluated with {@code preprocessing} are kept decoded; null without a folder. */
    public DecodedImageFiles decodedFiles(Preprocessing preprocessing) {
        return decodedRoot == null ? null : new DecodedImageFiles(decodedRoot, preprocessing.resize());
    }

    public Evaluation evaluate(CheckpointModel model, TestSplit split, List<LabelledImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException(split + " has no images to evaluate");
        }
        long began = System.nanoTime();
        List<String> labels = matrixLabels(model.labels(), images);
        Map<String, Integer> labelIndex = new HashMap<>();
        labels.forEach(label -> labelIndex.put(label, labelIndex.size()));
        EvaluationMetrics.Tally tally = new EvaluationMetrics.Tally(labels);
        int[] truth = new int[images.size()];
        int[] predictions = new int[images.size()];
        Preprocessor preprocessor = model.preprocessor();
        Inputs inputs = new Inputs(images, preprocessor, decodedFiles(preprocessor.preprocessing()));
        ExecutorService prefetch = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "evaluation-prefetch");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletableFuture<float[]> next = CompletableFuture.supplyAsync(() -> inputs.batch(0, batchSize), prefetch);
            for (int from = 0; from < images.size(); from += batchSize) {
                int count = Math.min(batchSize, images.size() - from);
                float[] batch = next.join();
                int following = from + batchSize;
                if (following < images.size()) {
                    next = CompletableFuture.supplyAsync(() -> inputs.batch(following, batchSize), prefetch);
                }
                int[] predicted = model.predict(batch, count);
                forwardPasses.incrementAndGet();
                for (int i = 0; i < count; i++) {
                    truth[from + i] = labelIndex.get(images.get(from + i).label());
                    predictions[from + i] = predicted[i];
                    tally.add(truth[from + i], predicted[i]);
                }
            }
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            prefetch.shutdownNow();
        }
        boolean keyed = images.stream().allMatch(image -> image.key() != null);
        ImagePredictions perImage = keyed ? ImagePredictions.of(split, labels,
                images.stream().map(LabelledImage::key).toList(), truth, predictions) : null;
        return new Evaluation(split, tally.metrics(), Duration.ofNanos(System.nanoTime() - began),
                inputs.decoded.get(), perImage);
    }

    static List<String> matrixLabels(List<String> modelLabels, List<LabelledImage> images) {
        List<String> labels = new ArrayList<>(modelLabels);
        images.stream().map(LabelledImage::label).filter(label -> !modelLabels.contains(label)).distinct().sorted()
                .forEach(labels::add);
        return labels;
    }

    /** The network inputs of the test images, batch by batch. */
    private record Inputs(List<LabelledImage> images, Preprocessor preprocessor, DecodedImageFiles decodedFiles,
                          AtomicInteger decoded) {

        Inputs(List<LabelledImage> images, Preprocessor preprocessor, DecodedImageFiles decodedFiles) {
            this(images, preprocessor, decodedFiles, new AtomicInteger());
        }

        /** Images {@code from .. from + size} (fewer at the end), eval-transformed, images decoded in parallel. */
        float[] batch(int from, int size) {
            int count = Math.min(size, images.size() - from);
            int floats = preprocessor.outputLength();
            float[] out = new float[count * floats];
            ParallelTasks.forEach(count,
                    i -> preprocessor.evalTransform(image(images.get(from + i)), out, i * floats));
            return out;
        }

        private BufferedImage image(LabelledImage image) {
            if (decodedFiles == null || image.key() == null) {
                decoded.incrementAndGet();
                return decode(image.file());
            }
            BufferedImage stored = decodedFiles.readIfPresent(image.key());
            if (stored != null) {
                return stored;
            }
            if (image.file() == null) {
                throw new IllegalStateException("test image " + image.key()
                        + " has neither a decoded nor an original file");
            }
            decoded.incrementAndGet();
            return decodedFiles.decode(image.key(), image.file());
        }

        private static BufferedImage decode(Path file) {
            try {
                return Images.decode(Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read test image " + file, e);
            }
        }
    }
}
