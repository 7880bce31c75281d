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
 * @param parentCheckpoint the folder this stage started from: the previous stage's, or for the first stage of a
 *                         warm-started run the production version's; null for a first stage from the base backbone
 * @param baseBackbone     the base backbone the model's lineage starts from
 * @param warmStart        the production version the run started from, null when it started from the base backbone
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
        Instant createdAt,
        WarmStart warmStart) {

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

    /** A checkpoint of a run that started from its base backbone. */
    public CheckpointManifest(int formatVersion, String model, String runId, Stage stage, int stageIndex,
                              List<Stage> plan, String datasetId, int datasetVersion, List<String> labels,
                              int bestEpoch, int epochs, double valAccuracy, Preprocessing preprocessing,
                              String parentCheckpoint, String baseBackbone, Map<String, String> hyperparameters,
                              Instant createdAt) {
        this(formatVersion, model, runId, stage, stageIndex, plan, datasetId, datasetVersion, labels, bestEpoch,
                epochs, valAccuracy, preprocessing, parentCheckpoint, baseBackbone, hyperparameters, createdAt, null);
    }

    public boolean lastStage() {
        return stageIndex == plan.size() - 1;
    }
}
