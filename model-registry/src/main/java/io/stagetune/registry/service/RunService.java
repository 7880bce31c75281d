package io.stagetune.registry.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.Stage;
import io.stagetune.registry.Model;
import io.stagetune.registry.Run;
import io.stagetune.registry.RunEpoch;
import io.stagetune.registry.api.EpochView;
import io.stagetune.common.registry.RunRequest;
import io.stagetune.common.registry.RunStatus;
import io.stagetune.common.registry.RunUpdate;
import io.stagetune.common.registry.RunView;
import io.stagetune.registry.repository.RunEpochRepository;
import io.stagetune.registry.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/** Runs as the trainer's planner reports them; one run per model and dataset version. */
@ApplicationScoped
public class RunService {

    static final int MAX_RESULTS = 1000;

    private final ModelService models;
    private final RunRepository runs;
    private final RunEpochRepository epochs;

    public RunService(ModelService models, RunRepository runs, RunEpochRepository epochs) {
        this.models = models;
        this.runs = runs;
        this.epochs = epochs;
    }

    /** A creation's outcome: the run, and whether this call created it. */
    public record Creation(RunView run, boolean created) {
    }

    /**
     * Creates the run, or returns it unchanged when the same run id already describes the same model and dataset
     * version (a retried request, or a second planner racing the first). Another run for that model and dataset
     * version is a conflict.
     */
    public Creation create(RunRequest request) {
        validate(request);
        models.ensureExists(request.model());
        return QuarkusTransaction.requiringNew().call(() -> {
            Model model = models.locked(request.model());
            Optional<Run> existing = runs.find(request.runId());
            if (existing.isPresent()) {
                Run run = existing.get();
                if (!run.model().name().equals(request.model()) || !run.datasetId().equals(request.datasetId())
                        || run.datasetVersion() != request.datasetVersion()) {
                    throw RegistryException.conflict("run '" + request.runId() + "' already exists for model '"
                            + run.model().name() + "' on dataset '" + run.datasetId() + "' v" + run.datasetVersion());
                }
                return new Creation(view(run), false);
            }
            runs.findFor(model, request.datasetId(), request.datasetVersion()).ifPresent(other -> {
                throw RegistryException.conflict("model '" + request.model() + "' already has run '" + other.id()
                        + "' on dataset '" + request.datasetId() + "' v" + request.datasetVersion());
            });
            List<Stage> plan = request.plan() == null || request.plan().isEmpty()
                    ? Stage.DEFAULT_PLAN : request.plan();
            Run run = new Run(request.runId(), model, request.datasetId(), request.datasetVersion(), plan,
                    request.baseBackbone(), request.trigger(), request.hyperparameters(), request.trainImages(),
                    request.labels(), Checks.now());
            run.startFrom(request.warmStart());
            runs.persist(run);
            return new Creation(view(run), true);
        });
    }

    @Transactional
    public RunView update(String runId, RunUpdate update) {
        if (update == null || (update.status() == null && (update.stages() == null || update.stages().isEmpty())
                && update.message() == null)) {
            throw RegistryException.badRequest("body must change something: {\"status\": \"RUNNING\", "
                    + "\"stages\": {\"HEAD\": \"COMPLETED\"}, \"message\": \"...\"}");
        }
        Checks.optional("message", update.message(), Checks.MAX_TEXT);
        Run run = runs.lock(runId).orElseThrow(() -> RegistryException.notFound("run '" + runId + "' not found"));
        if (update.status() != null && run.status().terminal() && !update.status().terminal()) {
            // A late or repeated report (the trainer's "first stage sent") must not reopen a finished run.
            throw RegistryException.conflict("run '" + runId + "' is " + run.status()
                    + "; a finished run does not go back to " + update.status());
        }
        if (update.stages() != null) {
            for (var entry : update.stages().entrySet()) {
                if (entry.getKey() == null || entry.getValue() == null) {
                    throw RegistryException.badRequest("stages must map a stage to a status");
                }
                if (!run.plan().contains(entry.getKey())) {
                    throw RegistryException.badRequest("stage " + entry.getKey() + " is not in run '" + runId
                            + "' plan " + run.plan());
                }
            }
        }
        run.update(update.status(), update.stages(), update.message(), Checks.now());
        return view(run);
    }

    @Transactional
    public RunView get(String runId) {
        return runs.find(runId).map(RunService::view)
                .orElseThrow(() -> RegistryException.notFound("run '" + runId + "' not found"));
    }

    @Transactional
    public List<RunView> list(String model, RunStatus status) {
        return runs.list(model, status, MAX_RESULTS).stream().map(RunService::view).toList();
    }

    /**
     * Keeps an epoch the trainer reported; a report of an epoch already kept replaces its figures (a resumed stage
     * trains the epoch again). Reports of one run come in order from one partition's consumer, and the unique key
     * (run, stage, epoch) refuses a second row should two consumers ever race during a rebalance.
     */
    @Transactional
    public void recordEpoch(EpochCompleted event) {
        epochs.find(event.runId(), event.stage(), event.epoch()).ifPresentOrElse(
                stored -> stored.update(event), () -> epochs.persist(new RunEpoch(event)));
    }

    @Transactional
    public List<EpochView> epochs(String runId) {
        runs.find(runId).orElseThrow(() -> RegistryException.notFound("run '" + runId + "' not found"));
        return epochs.list(runId).stream().map(RunService::view).toList();
    }

    private static EpochView view(RunEpoch epoch) {
        return new EpochView(epoch.runId(), epoch.stage(), epoch.epoch(), epoch.maxEpochs(), epoch.trainLoss(),
                epoch.trainAccuracy(), epoch.valAccuracy(), epoch.imagesPerSecond(), epoch.durationMillis(),
                epoch.best(), epoch.occurredAt());
    }

    private static void validate(RunRequest request) {
        if (request == null) {
            throw RegistryException.badRequest("body must describe the run: {\"runId\": \"...\", \"model\": \"...\", "
                    + "\"datasetId\": \"...\", \"datasetVersion\": 1}");
        }
        Checks.required("runId", request.runId(), 200);
        Checks.name("model", request.model());
        Checks.name("datasetId", request.datasetId());
        Checks.positive("datasetVersion", request.datasetVersion());
        Checks.optional("baseBackbone", request.baseBackbone(), Checks.MAX_URI);
        Checks.optional("trigger", request.trigger(), Checks.MAX_URI);
        if (request.warmStart() != null) {
            Checks.required("warmStart.checkpoint", request.warmStart().checkpoint(), Checks.MAX_URI);
        }
        if (request.trainImages() != null && request.trainImages() < 0) {
            throw RegistryException.badRequest("trainImages must be a number >= 0, got " + request.trainImages());
        }
        if (request.plan() != null && (request.plan().contains(null)
                || request.plan().stream().distinct().count() != request.plan().size())) {
            throw RegistryException.badRequest("plan " + request.plan() + " must list distinct stages");
        }
    }

    private static RunView view(Run run) {
        return new RunView(run.id(), run.model().name(), run.datasetId(), run.datasetVersion(), run.plan(),
                run.status(), run.stageStatus(), run.baseBackbone(), run.trigger(), run.message(),
                run.hyperparameters(), run.trainImages(), run.labels(), run.createdAt(), run.updatedAt(),
                run.startedAt(), run.finishedAt(), run.warmStart());
    }
}
