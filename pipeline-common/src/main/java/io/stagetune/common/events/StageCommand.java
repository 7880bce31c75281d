package io.stagetune.common.events;

import io.stagetune.common.Topics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Train one stage of a run. Carries the run's whole plan and its position in it, so a worker needs no
 * lookup to know which stage comes next.
 *
 * @param baseBackbone     object URI of the TorchScript backbone the run starts from
 * @param parentCheckpoint checkpoint folder URI the stage starts from; {@code null} for the plan's first stage
 * @param hyperparameters  overrides of the trainer's defaults (learning rates, epochs, patience, ...)
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
        Map<String, String> hyperparameters) implements PipelineEvent {

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

    /** The first command of a run. */
    public static StageCommand first(String runId, String model, String datasetId, int datasetVersion,
                                     List<Stage> plan, String baseBackbone, Map<String, String> hyperparameters) {
        return new StageCommand(PipelineEvent.newId(), SCHEMA_VERSION, PipelineEvent.now(), runId, model, datasetId,
                datasetVersion, plan, 0, null, baseBackbone, null, hyperparameters);
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
                datasetVersion, plan, stageIndex + 1, null, baseBackbone, checkpoint, hyperparameters);
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
