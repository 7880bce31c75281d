package io.stagetune.common.events;

import io.stagetune.common.Topics;
import io.stagetune.common.checkpoint.WarmStart;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Train one stage of a run. Carries the run's whole plan and its position in it, so a worker needs no
 * lookup to know which stage comes next.
 *
 * @param baseBackbone     object URI of the TorchScript backbone the run starts from, unless it is warm-started
 *                         (then the base backbone that production's lineage started from)
 * @param parentCheckpoint checkpoint folder URI the stage starts from; {@code null} for the plan's first stage
 * @param hyperparameters  overrides of the trainer's defaults (learning rates, epochs, patience, ...)
 * @param warmStart        the production version the run starts from, or null when it starts from the base backbone
 */
public record StageCommand(
        UUID eventId,
        int schemaVersion,
        Instant occurredAt,
        String runId,
        String model,
        String datasetId,
        int datasetVersion,
        List<Stage> plan,
        int stageIndex,
        Stage stage,
        String baseBackbone,
        String parentCheckpoint,
        Map<String, String> hyperparameters,
        WarmStart warmStart) implements PipelineEvent {

    public StageCommand {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(datasetId, "datasetId");
        if (plan == null || plan.isEmpty()) {
            throw new IllegalArgumentException("plan must name at least one stage");
        }
        plan = List.copyOf(plan);
        if (stageIndex < 0 || stageIndex >= plan.size()) {
            throw new IllegalArgumentException("stageIndex " + stageIndex + " outside plan " + plan);
        }
        if (stage == null) {
            stage = plan.get(stageIndex);
        } else if (stage != plan.get(stageIndex)) {
            throw new IllegalArgumentException("stage " + stage + " is not plan[" + stageIndex + "] of " + plan);
        }
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }

    /** A command of a run that starts from its base backbone. */
    public StageCommand(UUID eventId, int schemaVersion, Instant occurredAt, String runId, String model,
                        String datasetId, int datasetVersion, List<Stage> plan, int stageIndex, Stage stage,
                        String baseBackbone, String parentCheckpoint, Map<String, String> hyperparameters) {
        this(eventId, schemaVersion, occurredAt, runId, model, datasetId, datasetVersion, plan, stageIndex, stage,
                baseBackbone, parentCheckpoint, hyperparameters, null);
    }

    /** The first command of a run from its base backbone. */
    public static StageCommand first(String runId, String model, String datasetId, int datasetVersion,
                                     List<Stage> plan, String baseBackbone, Map<String, String> hyperparameters) {
        return first(runId, model, datasetId, datasetVersion, plan, baseBackbone, hyperparameters, null);
    }

    /** The first command of a run, from {@code warmStart} (or from the base backbone when it is null). */
    public static StageCommand first(String runId, String model, String datasetId, int datasetVersion,
                                     List<Stage> plan, String baseBackbone, Map<String, String> hyperparameters,
                                     WarmStart warmStart) {
        return new StageCommand(PipelineEvent.newId(), SCHEMA_VERSION, PipelineEvent.now(), runId, model, datasetId,
                datasetVersion, plan, 0, null, baseBackbone, null, hyperparameters, warmStart);
    }

    /**
     * The checkpoint this stage starts from: its parent stage's, or for a warm-started run's first stage the
     * production version's; null for a first stage from the base backbone. It is the stage's lineage parent.
     */
    public String startCheckpoint() {
        if (parentCheckpoint != null) {
            return parentCheckpoint;
        }
        return warmStart == null ? null : warmStart.checkpoint();
    }

    public boolean isLastStage() {
        return stageIndex == plan.size() - 1;
    }

    /** The command for the plan's next stage, starting from {@code checkpoint}. */
    public StageCommand next(String checkpoint) {
        if (isLastStage()) {
            throw new IllegalStateException("stage " + stage + " is the last of plan " + plan);
        }
        return new StageCommand(PipelineEvent.newId(), SCHEMA_VERSION, PipelineEvent.now(), runId, model, datasetId,
                datasetVersion, plan, stageIndex + 1, null, baseBackbone, checkpoint, hyperparameters, warmStart);
    }

    @Override
    public String key() {
        return runId;
    }

    @Override
    public String topic() {
        return Topics.TRAINING_COMMANDS;
    }
}
