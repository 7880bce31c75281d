package io.stagetune.trainer.run;

import java.util.List;
import java.util.Optional;

/** Where runs are kept. The object store holds them until the model registry owns runs. */
public interface RunStore {

    /** Stores a new run; false when a run with its id already exists (nothing is changed then). */
    boolean create(Run run);

    void update(Run run);

    Optional<Run> find(String model, String runId);

    Optional<Run> find(String runId);

    /** The model's run on the highest version of the dataset. */
    Optional<Run> latest(String model, String datasetId);

    List<Run> list();
}
