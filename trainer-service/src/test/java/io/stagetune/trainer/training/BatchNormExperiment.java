package io.stagetune.trainer.training;

import io.stagetune.common.events.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measurement behind the default {@link BatchNormPolicy} (trainer-service/TRAINING.md): pretrain the tiny
 * backbone (FULL) on five Fashion-MNIST source classes, then fine-tune HEAD and LAYER4 on the five other classes
 * with frozen BatchNorm in inference mode vs adapted statistics, over several seeds. Prints best validation
 * accuracies. Run: scripts/benchmark-trainer.sh's classpath, main class io.stagetune.trainer.training.BatchNormExperiment.
 */
public final class BatchNormExperiment {

    private static final List<Integer> SOURCE = List.of(0, 1, 2, 3, 4);
    private static final List<Integer> TARGET = List.of(5, 6, 7, 8, 9);

    private BatchNormExperiment() {
    }

    public static void main(String[] args) throws Exception {
        FashionMnistSample train = FashionMnistSample.train();
        FashionMnistSample test = FashionMnistSample.test();
        Path base = Files.createTempDirectory("bn-experiment");
        List<String> sourceLabels = SOURCE.stream().map(train.labels()::get).toList();
        List<String> targetLabels = TARGET.stream().map(train.labels()::get).toList();

        StageResult pretrained = new StageTrainer().train(new StageRequest(Stage.FULL,
                TrainingFixtures.TINY_BACKBONE, null, sourceLabels, hyperparameters(Stage.FULL, 1, 15,
                "headLearningRate=0.05", "backboneLearningRate=0.05"),
                new LabelSubset(train, SOURCE), new LabelSubset(test, SOURCE), null, List.of(), null, 0),
                EpochListener.NONE);
        pretrained.writeTo(base);
        System.out.printf("pretrained on %s: val accuracy %.3f%n", sourceLabels, pretrained.progress().bestValAccuracy());

        LabelSubset targetTrain = new LabelSubset(train, TARGET);
        LabelSubset targetTest = new LabelSubset(test, TARGET);
        for (Stage stage : List.of(Stage.HEAD, Stage.LAYER4)) {
            for (String variant : List.of("batchNorm=frozen,featureCache=true", "batchNorm=frozen,featureCache=false",
                    "batchNorm=adapt,featureCache=false")) {
                if (stage == Stage.LAYER4 && variant.endsWith("featureCache=true")) {
                    continue;
                }
                StringBuilder line = new StringBuilder(String.format("%-6s %-36s", stage, variant));
                double sum = 0;
                int seeds = 3;
                for (int seed = 1; seed <= seeds; seed++) {
                    StageResult result = new StageTrainer().train(new StageRequest(stage,
                            base.resolve(ModelWeights.BACKBONE_FILE), null, targetLabels,
                            hyperparameters(stage, seed, 10, variant.split(",")), targetTrain, targetTest, null,
                            List.of(), null, 0),
                            EpochListener.NONE);
                    sum += result.progress().bestValAccuracy();
                    line.append(String.format(" %.3f", result.progress().bestValAccuracy()));
                }
                System.out.println(line.append(String.format("  mean %.3f", sum / seeds)));
            }
        }
    }

    private static StageHyperparameters hyperparameters(Stage stage, int seed, int epochs, String... overrides) {
        Map<String, String> values = new HashMap<>(Map.of("headLearningRate", "0.02", "backboneLearningRate", "0.01",
                "maxEpochs", Integer.toString(epochs), "patience", Integer.toString(epochs),
                "seed", Integer.toString(seed)));
        for (String override : overrides) {
            String[] pair = override.split("=", 2);
            values.put(pair[0], pair[1]);
        }
        return StageHyperparameters.forStage(stage, values);
    }
}
