package io.stagetune.evaluator.evaluation;

import io.stagetune.inference.CheckpointModel;
import io.stagetune.common.checkpoint.CheckpointManifest;
import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.checkpoint.Safetensors;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.Stage;
import io.stagetune.common.image.Preprocessing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Evaluation throughput (run by scripts/benchmark-evaluator.sh beside PyTorch's torch.no_grad() inference of the
 * same files): the Fashion-MNIST sample's test split through a checkpoint of the given backbone and a seeded
 * random head. Writes the checkpoint, the preprocessed images and the predictions to the output folder so the
 * Python side runs the very same inputs.
 *
 * <p>Prints "djl-inference images/s" (median pass over preprocessed images, as the Python side measures) and
 * "djl-evaluation images/s" (median pass of the whole evaluation: decode, eval transform, inference, metrics).
 *
 * <p>Arguments: backbone file, resize, crop, batch size, passes, output folder.
 */
public final class EvaluatorBenchmark {

    private static final int WARM_UP_BATCHES = 3;

    private EvaluatorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path backbone = Path.of(args[0]);
        Preprocessing preprocessing = Preprocessing.imagenet(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        int batch = Integer.parseInt(args[3]);
        int passes = Integer.parseInt(args[4]);
        Path out = Files.createDirectories(Path.of(args[5]));
        List<LabelledImage> images = EvaluationFixtures.sample("test");
        int floats = preprocessing.outputLength();
        float[] inputs = EvaluationFixtures.preprocess(images, preprocessing);
        Path checkpoint = writeCheckpoint(out.resolve("checkpoint"), backbone, EvaluationFixtures.labels(images),
                preprocessing, inputs);
        Safetensors.write(out.resolve("images.safetensors"), Map.of("images", new Safetensors.Tensor(
                new long[] {images.size(), 3, preprocessing.crop(), preprocessing.crop()}, inputs)), Map.of());

        try (CheckpointModel model = CheckpointModel.load(checkpoint)) {
            float[] buffer = new float[batch * floats];
            int[] predictions = new int[images.size()];
            for (int i = 0; i < WARM_UP_BATCHES; i++) {
                System.arraycopy(inputs, 0, buffer, 0, Math.min(batch, images.size()) * floats);
                model.predict(buffer, Math.min(batch, images.size()));
            }
            double[] inference = new double[passes];
            for (int pass = 0; pass < passes; pass++) {
                long began = System.nanoTime();
                for (int from = 0; from < images.size(); from += batch) {
                    int count = Math.min(batch, images.size() - from);
                    System.arraycopy(inputs, from * floats, buffer, 0, count * floats);
                    System.arraycopy(model.predict(buffer, count), 0, predictions, from, count);
                }
                inference[pass] = images.size() / ((System.nanoTime() - began) / 1e9);
            }
            Files.writeString(out.resolve("predictions.json"), EventJson.write(predictions));

            CheckpointEvaluator evaluator = new CheckpointEvaluator(batch);
            TestSplit split = new TestSplit("fashion-mnist-sample", 1);
            double[] evaluation = new double[passes];
            for (int pass = 0; pass < passes; pass++) {
                Evaluation result = evaluator.evaluate(model, split, images);
                evaluation[pass] = result.imagesPerSecond();
            }
            System.out.printf("djl-inference %.1f%n", median(inference));
            System.out.printf("djl-evaluation %.1f%n", median(evaluation));
        }
    }

    private static Path writeCheckpoint(Path folder, Path backbone, List<String> labels, Preprocessing preprocessing,
                                        float[] inputs) throws Exception {
        Files.createDirectories(folder);
        Files.copy(backbone, folder.resolve(CheckpointManifest.BACKBONE_FILE), StandardCopyOption.REPLACE_EXISTING);
        int features;
        try (DirectForward forward = new DirectForward(backbone)) {
            features = forward.features(inputs, 1, preprocessing.crop())[0].length;
        }
        Random random = new Random(42);
        float[] weight = new float[labels.size() * features];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextGaussian() / Math.sqrt(features));
        }
        new HeadWeights(labels, features, weight, new float[labels.size()])
                .write(folder.resolve(CheckpointManifest.HEAD_FILE));
        Files.write(folder.resolve(CheckpointManifest.FILE), EventJson.writeBytes(new CheckpointManifest(
                CheckpointManifest.FORMAT_VERSION, "benchmark", "run-1", Stage.HEAD, 0, List.of(Stage.HEAD),
                "fashion-mnist-sample", 1, labels, 0, 0, 0, preprocessing, null, backbone.toString(), Map.of(),
                Instant.now())));
        return folder;
    }

    /** The middle value (the upper of the two middle ones for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
