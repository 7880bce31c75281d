package io.stagetune.evaluator.evaluation;

import io.stagetune.inference.CheckpointModel;
import io.stagetune.common.checkpoint.Safetensors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The checkpoint the evaluator judges predicts the same in PyTorch: torch.jit.load of the backbone + a Linear. */
class PythonParityTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT =
            Path.of(System.getProperty("stagetune.scripts", "../scripts")).resolve("inspect_checkpoint.py");

    @TempDir
    static Path scratch;

    @BeforeAll
    static void requirePythonWithTorch() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0, "/usr/bin/python3 has no torch");
    }

    @Test
    void pytorchPredictsWhatTheEvaluatorPredicts() throws Exception {
        Path checkpoint = EvaluationFixtures.writeCheckpoint(scratch.resolve("checkpoint"),
                EvaluationFixtures.TINY_BACKBONE, EvaluationFixtures.sample("train"), EvaluationFixtures.PREPROCESSING);
        List<LabelledImage> images = everyTenth(EvaluationFixtures.sample("test"));
        float[] inputs = EvaluationFixtures.preprocess(images, EvaluationFixtures.PREPROCESSING);
        Path imagesFile = scratch.resolve("images.safetensors");
        Safetensors.write(imagesFile, Map.of("images", new Safetensors.Tensor(
                new long[] {images.size(), 3, 32, 32}, inputs)), Map.of());

        int[] evaluator;
        try (CheckpointModel model = CheckpointModel.load(checkpoint)) {
            evaluator = model.predict(images.stream().map(EvaluationFixtures::decode).toList());
        }
        JsonNode report = inspect(checkpoint, imagesFile);

        List<Integer> python = new ArrayList<>();
        report.get("predictions").forEach(node -> python.add(node.asInt()));
        assertThat(python).hasSize(images.size())
                .containsExactlyElementsOf(Arrays.stream(evaluator).boxed().toList());
    }

    private static List<LabelledImage> everyTenth(List<LabelledImage> images) {
        List<LabelledImage> picked = new ArrayList<>();
        for (int i = 0; i < images.size(); i += 10) {
            picked.add(images.get(i));
        }
        return picked;
    }

    private static JsonNode inspect(Path checkpoint, Path images) throws Exception {
        Process process = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(),
                "--checkpoint", checkpoint.toString(), "--images", images.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("inspect_checkpoint.py exit status").isZero();
        return new ObjectMapper().readTree(output);
    }
}
