package io.stagetune.trainer.training;

import io.stagetune.common.events.Stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared test inputs: the committed tiny backbone, the Fashion-MNIST sample and fast hyperparameters. */
final class TrainingFixtures {

    static final Path TINY_BACKBONE = FashionMnistSample.root().resolve("backbones/resnet-tiny.pt");

    private TrainingFixtures() {
    }

    /** Recipe defaults with learning rates high enough to learn something from 600 images in a few epochs. */
    static StageHyperparameters fast(Stage stage, int epochs, String... overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("headLearningRate", "0.02");
        values.put("backboneLearningRate", "0.01");
        values.put("maxEpochs", Integer.toString(epochs));
        values.put("patience", Integer.toString(epochs));
        for (String override : overrides) {
            String[] pair = override.split("=", 2);
            values.put(pair[0], pair[1]);
        }
        return StageHyperparameters.forStage(stage, values);
    }

    /** Every backbone parameter of a TorchScript file, by name, as floats. */
    static Map<String, float[]> backboneParameters(Path backbone) throws IOException {
        Map<String, float[]> values = new LinkedHashMap<>();
        try (StageModel model = StageModel.load(backbone, new ImageShape(3, 28, 28), List.of("a", "b"), null)) {
            model.backboneParameters().forEach((name, parameter) -> values.put(name,
                    parameter.getArray().toFloatArray()));
        }
        return values;
    }

    static Map<String, float[]> backboneParameters(byte[] torchScript, Path scratch) throws IOException {
        Path file = Files.createTempFile(scratch, "backbone", ".pt");
        Files.write(file, torchScript);
        return backboneParameters(file);
    }
}
