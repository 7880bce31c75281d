package io.stagetune.trainer.training;

import io.stagetune.common.events.Stage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Throughput of the stage trainer (run by scripts/benchmark-trainer.sh beside the classic PyTorch loop):
 * training images/s per stage for a fixed backbone, resolution and batch size, and HEAD over 10 epochs with
 * and without the frozen-feature cache.
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
            for (boolean cache : new boolean[] {false, true}) {
                long began = System.nanoTime();
                StageResult result = train(backbone, Stage.HEAD, labels, training, validation,
                        Map.of("maxEpochs", "10", "patience", "10", "batchSize", Integer.toString(batch),
                                "featureCache", Boolean.toString(cache)));
                double seconds = (System.nanoTime() - began) / 1e9;
                System.out.printf("HEAD-%s 10 epochs %.1f s, %.1f images/s (epochs: %d)%n",
                        cache ? "cached" : "uncached", seconds, 10.0 * images / seconds,
                        result.progress().history().size());
            }
            return;
        }
        for (String stage : what.split(",")) {
            // Two epochs; the second one's rate is reported, the first warms up allocations and the engine.
            StageResult result = train(backbone, Stage.valueOf(stage), labels, training, validation,
                    Map.of("maxEpochs", "2", "patience", "2", "batchSize", Integer.toString(batch),
                            "featureCache", "false"));
            System.out.printf("%s %.1f%n", stage, result.progress().history().get(1).imagesPerSecond());
        }
    }

    private static StageResult train(Path backbone, Stage stage, List<String> labels, LabelledImageSource training,
                                     LabelledImageSource validation, Map<String, String> overrides) throws Exception {
        return new StageTrainer().train(StageRequest.of(stage, backbone, labels, training, validation)
                .withHyperparameters(StageHyperparameters.forStage(stage, overrides)), EpochListener.NONE);
    }
}
