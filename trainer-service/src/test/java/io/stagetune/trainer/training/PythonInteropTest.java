package io.stagetune.trainer.training;

import io.stagetune.common.checkpoint.HeadWeights;
import io.stagetune.common.checkpoint.Safetensors;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagetune.common.events.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The stage output is usable from Python: torch.jit.load and a plain Linear give the same predictions. */
class PythonInteropTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT =
            Path.of(System.getProperty("stagetune.scripts", "../scripts")).resolve("inspect_checkpoint.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path scratch;

    private static FashionMnistSample train;
    private static FashionMnistSample validation;

    @BeforeAll
    static void requirePythonWithTorch() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0, "/usr/bin/python3 has no torch");
        train = FashionMnistSample.train();
        validation = FashionMnistSample.of("test", 5);
    }

    @Test
    void stageOutputsLoadInPythonWithTheirFrozenPartsUntouchedAndPredictAsInJava() throws Exception {
        Path head = scratch.resolve("head");
        new StageTrainer().train(request(Stage.HEAD, TrainingFixtures.TINY_BACKBONE)
                        .withHyperparameters(TrainingFixtures.fast(Stage.HEAD, 1, "featureCache=false")),
                EpochListener.NONE).writeTo(head);
        Path layer4 = scratch.resolve("layer4");
        new StageTrainer().train(request(Stage.LAYER4, head.resolve(ModelWeights.BACKBONE_FILE))
                        .withParentHead(head.resolve(HeadWeights.FILE_NAME))
                        .withHyperparameters(TrainingFixtures.fast(Stage.LAYER4, 1)),
                EpochListener.NONE).writeTo(layer4);
        Path images = writeValidationImages();

        JsonNode headReport = inspect(head, images);
        JsonNode layer4Report = inspect(layer4, images);

        // Buffers too: frozen BatchNorm layers kept their running statistics.
        assertThat(headReport.get("changed")).isEmpty();
        assertThat(texts(layer4Report.get("changed"))).isNotEmpty()
                .allSatisfy(name -> assertThat(name).startsWith("layer4."))
                .contains("layer4.0.bn1.running_mean", "layer4.0.conv1.weight");
        assertThat(layer4Report.get("training").asBoolean()).isFalse();
        assertThat(texts(layer4Report.get("labels"))).isEqualTo(train.labels());
        assertThat(texts(layer4Report.get("parameters"))).contains("layer4.0.conv1.weight", "conv1.weight");
        assertThat(longs(layer4Report.get("predictions"))).isEqualTo(javaPredictions(layer4));
    }

    private static StageRequest request(Stage stage, Path backbone) {
        return StageRequest.of(stage, backbone, train.labels(), train, validation);
    }

    private static Path writeValidationImages() throws IOException {
        ImageShape shape = validation.shape();
        float[] pixels = new float[validation.size() * shape.floats()];
        for (int i = 0; i < validation.size(); i++) {
            validation.fillForEvaluation(i, pixels, i * shape.floats());
        }
        Path file = scratch.resolve("images.safetensors");
        Safetensors.write(file, Map.of("images", new Safetensors.Tensor(
                new long[] {validation.size(), shape.channels(), shape.height(), shape.width()}, pixels)), Map.of());
        return file;
    }

    private static List<Long> javaPredictions(Path checkpoint) throws IOException {
        try (StageModel model = StageModel.load(checkpoint.resolve(ModelWeights.BACKBONE_FILE), validation.shape(),
                train.labels(), HeadWeights.read(checkpoint.resolve(HeadWeights.FILE_NAME)));
             NDManager manager = model.model().getNDManager().newSubManager()) {
            int[] all = BatchAssembler.identity(validation.size());
            long[] predicted = model.predict(new BatchAssembler(validation, all.length)
                    .assemble(manager, all, 0, all.length, null).get(0)).argMax(1).toLongArray();
            List<Long> values = new ArrayList<>();
            for (long value : predicted) {
                values.add(value);
            }
            return values;
        }
    }

    private static JsonNode inspect(Path checkpoint, Path images) throws Exception {
        Process process = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), "--checkpoint", checkpoint.toString(),
                "--images", images.toString(), "--compare-to", TrainingFixtures.TINY_BACKBONE.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("inspect_checkpoint.py exit status").isZero();
        return JSON.readTree(output);
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asLong()));
        return values;
    }
}
