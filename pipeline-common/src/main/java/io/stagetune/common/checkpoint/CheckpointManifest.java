package io.stagetune.common.checkpoint;

import io.stagetune.common.events.Stage;
import io.stagetune.common.image.Preprocessing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code checkpoint.json}: what a stage checkpoint folder holds and where it comes from. It is written last, so
 * a folder with it is complete. The folder also holds {@value #BACKBONE_FILE} (TorchScript, loadable with
 * {@code torch.jit.load}), {@value #HEAD_FILE} (the linear head, safetensors: {@code weight} [classes, features],
 * {@code bias} [classes], labels in the metadata) and {@value #METRICS_FILE} (the epoch history).
 *
 * @param labels           the ordered label list; the head's output i is labels[i]
 * @param bestEpoch        the epoch whose weights were kept
 * @param valAccuracy      validation accuracy of that epoch
 * @param preprocessing    the one preprocessing every later use of the model must apply
 * @param parentCheckpoint the folder this stage started from, null for the plan's first stage
 * @param baseBackbone     the backbone the run started from
 */
public record CheckpointManifest(
        int formatVersion,
        String model,
        String runId,
        Stage stage,
        int stageIndex,
        List<Stage> plan,
        String datasetId,
        int datasetVersion,
        List<String> labels,
        int bestEpoch,
        int epochs,
        double valAccuracy,
        Preprocessing preprocessing,
        String parentCheckpoint,
        String baseBackbone,
        Map<String, String> hyperparameters,
        Instant createdAt) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "checkpoint.json";
    public static final String BACKBONE_FILE = "backbone.pt";
    public static final String HEAD_FILE = "head.safetensors";
    public static final String METRICS_FILE = "metrics.json";

    public CheckpointManifest {
        plan = plan == null ? List.of() : List.copyOf(plan);
        labels = labels == null ? List.of() : List.copyOf(labels);
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }

    public boolean lastStage() {
        return stageIndex == plan.size() - 1;
    }
}
