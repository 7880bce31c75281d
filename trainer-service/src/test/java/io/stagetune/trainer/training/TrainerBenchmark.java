package io.stagetune.trainer.training;

import io.stagetune.common.events.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Throughput of the stage trainer (run by scripts/benchmark-trainer.sh beside the classic PyTorch loop):
 * training images/s per stage for a fixed backbone, resolution and batch size, and HEAD over 10 epochs with
 * and without the frozen-feature cache, and with its features from the feature store (a later run, same images).
 *
 * <p>Arguments: backbone file, images, batch size, side (pixels), stages (comma separated) or "cache".
 */
public final class TrainerBenchmark {

    private static final int CLASSES = 10;

    private TrainerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path backbone = Path.of(args[0]);
        int images = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int side = Integer.parseInt(args[3]);
        String what = args[4];
        RandomImageSource training = new RandomImageSource(images, side, CLASSES, 1);
        RandomImageSource validation = new RandomImageSource(batch, side, CLASSES, 2);
        List<String> labels = IntStream.range(0, CLASSES).mapToObj(i -> "class-" + i).toList();
        if (what.equals("cache")) {
            // Warm-up of both paths on two batches, so neither timed run pays for loading libtorch or for the JIT.
            RandomImageSource few = new RandomImageSource(2 * batch, side, CLASSES, 3);
            for (boolean cache : new boolean[] {false, true}) {
                train(backbone, Stage.HEAD, labels, few, validation, Map.of("maxEpochs", "1", "batchSize",
                        Integer.toString(batch), "featureCache", Boolean.toString(cache)), null);
            }
            Map<String, String> tenEpochs = Map.of("maxEpochs", "10", "patience", "10", "batchSize",
                    Integer.toString(batch));
            for (boolean cache : new boolean[] {false, true}) {
                long began = System.nanoTime();
                StageResult result = train(backbone, Stage.HEAD, labels, training, validation,
                        with(tenEpochs, "featureCache", Boolean.toString(cache)), null);
                report(cache ? "cached" : "uncached", began, images, result);
            }
            // A later run from the same backbone over the same images: features from the store (filled once first).
            Path store = Files.createTempDirectory("benchmark-features");
            LabelledImageSource keyedTraining = new KeyedImages(training, "random");
            LabelledImageSource keyedValidation = new KeyedImages(validation, "random");
            train(backbone, Stage.HEAD, labels, keyedTraining, keyedValidation, tenEpochs, new FeatureStore(store));
            long began = System.nanoTime();
            StageResult stored = train(backbone, Stage.HEAD, labels, keyedTraining, keyedValidation, tenEpochs,
                    new FeatureStore(store));
            report("stored", began, images, stored);
            return;
        }
        for (String stage : what.split(",")) {
            // Two epochs; the second one's rate is reported, the first warms up allocations and the engine.
            StageResult result = train(backbone, Stage.valueOf(stage), labels, training, validation,
                    Map.of("maxEpochs", "2", "patience", "2", "batchSize", Integer.toString(batch),
                            "featureCache", "false"), null);
            System.out.printf("%s %.1f%n", stage, result.progress().history().get(1).imagesPerSecond());
        }
    }

    private static StageResult train(Path backbone, Stage stage, List<String> labels, LabelledImageSource training,
                                     LabelledImageSource validation, Map<String, String> overrides,
                                     FeatureStore store) throws Exception {
        return new StageTrainer().train(StageRequest.of(stage, backbone, labels, training, validation)
                .withHyperparameters(StageHyperparameters.forStage(stage, overrides)).withFeatureStore(store),
                EpochListener.NONE);
    }

    private static Map<String, String> with(Map<String, String> values, String name, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(name, value);
        return copy;
    }

    private static void report(String what, long began, int images, StageResult result) {
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("HEAD-%s 10 epochs %.3f s, %.1f images/s (epochs: %d)%n", what, seconds,
                10.0 * images / seconds, result.progress().history().size());
    }
}
