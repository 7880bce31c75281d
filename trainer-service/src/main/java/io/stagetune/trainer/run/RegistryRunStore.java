package io.stagetune.trainer.run;

import io.stagetune.common.registry.RunRequest;
import io.stagetune.common.registry.RunStatus;
import io.stagetune.common.registry.RunUpdate;
import io.stagetune.common.registry.RunView;
import io.stagetune.trainer.registry.RegistryRefusedException;
import io.stagetune.trainer.registry.TrainerRegistry;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Runs kept by the model registry. The registry creates a run once: a second creation of the same run id returns
 * the existing run unchanged (200 instead of 201), and another id for the same model and dataset version is
 * refused (409), so there is never more than one run per model and dataset version. A run counts as started once
 * its status has left PENDING: the planner marks it RUNNING when its first stage command is on the topic.
 */
public class RegistryRunStore implements RunStore {

    private final TrainerRegistry registry;

    public RegistryRunStore(TrainerRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean create(Run run) {
        try {
            return registry.createRun(new RunRequest(run.runId(), run.model(), run.datasetId(), run.datasetVersion(),
                    run.plan(), run.baseBackbone(), run.trigger(), run.hyperparameters(), run.trainImages(),
                    run.labels(), run.warmStart()));
        } catch (RegistryRefusedException e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void update(Run run) {
        if (!run.started()) {
            return;
        }
        try {
            registry.updateRun(run.runId(), new RunUpdate(RunStatus.RUNNING, null,
                    "stage " + run.plan().get(0) + " queued"));
        } catch (RegistryRefusedException e) {
            // 409: a fast worker has finished the run already; it does not go back to RUNNING.
            if (e.status() != 409) {
                throw e;
            }
        }
    }

    @Override
    public Optional<Run> find(String model, String runId) {
        return find(runId).filter(run -> run.model().equals(model));
    }

    @Override
    public Optional<Run> find(String runId) {
        return registry.run(runId).map(RegistryRunStore::toRun);
    }

    @Override
    public Optional<Run> latest(String model, String datasetId) {
        return registry.runs(model).stream()
                .filter(run -> run.datasetId().equals(datasetId))
                .max(Comparator.comparingInt(RunView::datasetVersion))
                .map(RegistryRunStore::toRun);
    }

    @Override
    public List<Run> list() {
        return registry.runs(null).stream().map(RegistryRunStore::toRun).toList();
    }

    static Run toRun(RunView view) {
        return new Run(view.runId(), view.model(), view.datasetId(), view.datasetVersion(), view.plan(),
                view.baseBackbone(), view.hyperparameters(), view.trainImages() == null ? 0 : view.trainImages(),
                view.labels(), view.trigger(), view.createdAt(), view.status() != RunStatus.PENDING,
                view.warmStart());
    }
}
