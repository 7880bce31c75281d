package io.stagetune.common.registry;

import io.stagetune.common.checkpoint.WarmStart;
import io.stagetune.common.events.Stage;

import java.util.List;
import java.util.Map;

/**
 * Creates a run; {@code plan} defaults to HEAD, LAYER4, FULL. Creating a run that exists already (same id, model
 * and dataset version) changes nothing and returns the existing run.
 *
 * @param baseBackbone    object URI of the backbone the run starts from (a {@code models:/} reference resolved)
 * @param hyperparameters the overrides every stage command of the run carries
 * @param trainImages     training images in the dataset version, what the trainer's next trigger compares against
 * @param labels          the dataset version's labels, likewise
 * @param warmStart       the production version the run starts from, resolved when it was planned; null: the base
 */
public record RunRequest(String runId, String model, String datasetId, Integer datasetVersion, List<Stage> plan,
                         String baseBackbone, String trigger, Map<String, String> hyperparameters,
                         Integer trainImages, List<String> labels, WarmStart warmStart) {

    /** A run that starts from its base backbone. */
    public RunRequest(String runId, String model, String datasetId, Integer datasetVersion, List<Stage> plan,
                      String baseBackbone, String trigger, Map<String, String> hyperparameters,
                      Integer trainImages, List<String> labels) {
        this(runId, model, datasetId, datasetVersion, plan, baseBackbone, trigger, hyperparameters, trainImages,
                labels, null);
    }
}
