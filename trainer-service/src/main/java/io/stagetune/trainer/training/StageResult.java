package io.stagetune.trainer.training;

import io.stagetune.common.checkpoint.HeadWeights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stagetune.common.events.Stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained stage: its best epoch's weights and how it got there.
 *
 * <p>{@link #writeTo} lays out the stage's checkpoint files: {@code backbone.pt} (TorchScript, inference mode,
 * loadable by {@code torch.jit.load}), {@code head.safetensors} (see {@link HeadWeights}) and {@code metrics.json}.
 * The checkpoint's {@code checkpoint.json} (lineage, preprocessing) is the caller's, written last.
 */
public record StageResult(Stage stage, ModelWeights best, EpochProgress progress,
                          StageHyperparameters hyperparameters) {

    public static final String METRICS_FILE = "metrics.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The metrics of a stage as stored in {@code metrics.json}. */
    public record Metrics(Stage stage, int bestEpoch, double bestValAccuracy, int epochs, boolean stoppedEarly,
                          List<EpochReport> history, StageHyperparameters hyperparameters) {
    }

    public Metrics metrics() {
        return new Metrics(stage, progress.bestEpoch(), progress.bestValAccuracy(), progress.epoch(),
                progress.stoppedEarly(hyperparameters.maxEpochs()), progress.history(), hyperparameters);
    }

    public void writeTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        best.writeTo(directory);
        JSON.writeValue(directory.resolve(METRICS_FILE).toFile(), metrics());
    }
}
