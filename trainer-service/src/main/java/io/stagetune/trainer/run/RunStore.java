package io.stagetune.trainer.run;

import java.util.List;
import java.util.Optional;

/**
 * Where runs are kept: the model registry when the trainer is configured with one ({@link RegistryRunStore}),
 * else the checkpoints bucket ({@link ObjectStoreRunStore}); {@link RunStores} picks.
 */
public interface RunStore {

    /** Stores a new run; false when a run with its id already exists (nothing is changed then). */
    boolean create(Run run);

    /** Records what changed in the planner's view of the run (that its first stage command was sent). */
    void update(Run run);

    Optional<Run> find(String model, String runId);

    Optional<Run> find(String runId);

    /** The model's run on the highest version of the dataset. */
    Optional<Run> latest(String model, String datasetId);

    List<Run> list();
}
