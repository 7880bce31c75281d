package io.stagetune.trainer.planner;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.stagetune.common.events.DatasetVersionCreated;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.MalformedEventException;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.runtime.Backoff;
import io.stagetune.common.runtime.EventSender;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.run.Run;
import io.stagetune.trainer.run.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns dataset versions into runs. A {@code DatasetVersionCreated} is held (not acknowledged) until the dataset
 * has been quiet for the debounce window; then the trigger policy decides per configured model, the run is
 * recorded and its first {@link StageCommand} sent, and only then are the held events acknowledged. A crash
 * before that redelivers them, and run ids derived from model and dataset version make the replay harmless. When
 * planning fails (the registry or the broker is down), the held events are planned again after growing pauses.
 * A model whose {@code models:/} base backbone the registry cannot resolve gets no run from this version: that is
 * logged and counted ({@code trainer_runs_not_started_total}), and the model's next dataset version (or a manual
 * trigger) tries again.
 */
@ApplicationScoped
public class RetrainPlanner {

    private static final Logger LOG = Logger.getLogger(RetrainPlanner.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final TrainerConfig config;
    private final RunStore runs;
    private final Emitter<String> commands;
    private final MeterRegistry registry;
    private final TriggerPolicy policy;
    private final StartingPoints starts;
    private final Clock clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public RetrainPlanner(TrainerConfig config, RunStore runs,
                          @Channel("training-commands-out") Emitter<String> commands, MeterRegistry registry,
                          StartingPoints starts) {
        this.config = config;
        this.starts = starts;
        this.runs = runs;
        this.commands = commands;
        this.registry = registry;
        this.policy = new TriggerPolicy(config.planner().minNewImages(), config.planner().triggerOnNewLabel());
        this.clock = Clock.systemUTC();
    }

    @Incoming("dataset-events")
    public CompletionStage<Void> onDatasetEvent(Message<String> message) {
        final PipelineEvent event;
        try {
            event = EventJson.read(message.getPayload());
        } catch (MalformedEventException e) {
            return message.nack(e);
        }
        if (event instanceof DatasetVersionCreated created) {
            pending.compute(created.datasetId(), (datasetId, held) -> {
                Pending next = held == null ? new Pending() : held;
                next.hold(created, message, clock.instant());
                return next;
            });
            return CompletableFuture.completedFuture(null);
        }
        return message.ack();
    }

    /** Plans every dataset that has been quiet for the debounce window. */
    @Scheduled(every = "${trainer.planner.check-every:1s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void planQuietDatasets() {
        Instant now = clock.instant();
        Instant quietSince = now.minus(config.planner().debounce());
        for (String datasetId : List.copyOf(pending.keySet())) {
            Pending held = pending.get(datasetId);
            // Taken out before planning: versions arriving meanwhile start a new debounce window.
            if (held == null || held.lastEventAt().isAfter(quietSince) || held.retryAt().isAfter(now)
                    || !pending.remove(datasetId, held)) {
                continue;
            }
            try {
                plan(held.latest());
                held.acknowledge();
            } catch (RuntimeException e) {
                Duration pause = held.failed(now, config.registry().retryBackoff(),
                        config.registry().maxRetryBackoff());
                LOG.warnf("planning dataset %s v%d failed, retrying in %d ms: %s", datasetId,
                        held.latest().version(), pause.toMillis(), e.getMessage());
                pending.merge(datasetId, held, (newer, failed) -> failed.absorb(newer));
            }
        }
    }

    /** Starts a run for every model configured on the version's dataset that the policy says should train. */
    void plan(DatasetVersionCreated version) {
        config.models().forEach((model, modelConfig) -> {
            if (!modelConfig.dataset().equals(version.datasetId())) {
                return;
            }
            String runId = Run.idFor(model, version.datasetId(), version.version());
            Optional<Run> existing = runs.find(model, runId);
            if (existing.isPresent()) {
                if (!existing.get().started()) {
                    send(existing.get());
                }
                return;
            }
            Optional<String> reason = policy.decide(version, runs.latest(model, version.datasetId()));
            if (reason.isEmpty()) {
                LOG.infof("dataset %s v%d: no run for model %s (below the trigger threshold)", version.datasetId(),
                        version.version(), model);
                return;
            }
            try {
                start(model, modelConfig, version.datasetId(), version.version(), TriggerPolicy.trainImages(version),
                        version.labels(), reason.get(), "policy");
            } catch (UnresolvableBaseException e) {
                registry.counter("trainer.runs.not.started", "model", model, "reason", "base-unresolved")
                        .increment();
                LOG.warnf("dataset %s v%d: no run for model %s: %s; the next dataset version (or POST /runs) "
                        + "tries again", version.datasetId(), version.version(), model, e.getMessage());
            }
        });
    }

    /**
     * Records and starts a run. Where it starts (the base backbone, or for a warm start the production version) is
     * resolved now and recorded in the run and its commands, so a later move of a referenced alias never changes a
     * run.
     *
     * @return the run, or empty when this model already has a run on this dataset version
     * @throws UnresolvableBaseException when the model's {@code models:/} base backbone does not resolve
     */
    public Optional<Run> start(String model, TrainerConfig.ModelConfig modelConfig, String datasetId, int version,
                               int trainImages, List<String> labels, String reason, String triggerKind) {
        String runId = Run.idFor(model, datasetId, version);
        if (runs.find(model, runId).isPresent()) {
            return Optional.empty();
        }
        StartingPoints.Start start = starts.resolve(model, modelConfig);
        Run run = new Run(runId, model, datasetId, version, start.plan(), start.baseBackbone(),
                start.hyperparameters(), trainImages, labels, reason, clock.instant(), false, start.warmStart());
        if (!runs.create(run)) {
            return Optional.empty();
        }
        LOG.infof("run %s started: %s", run.runId(), reason);
        registry.counter("trainer.runs.started", "model", model, "trigger", triggerKind).increment();
        return Optional.of(send(run));
    }

    private Run send(Run run) {
        StageCommand first = StageCommand.first(run.runId(), run.model(), run.datasetId(), run.datasetVersion(),
                run.plan(), run.baseBackbone(), run.hyperparameters(), run.warmStart());
        EventSender.send(commands, first, SEND_TIMEOUT);
        Run started = run.asStarted();
        runs.update(started);
        return started;
    }

    /** The dataset versions of one dataset that arrived during its debounce window. */
    private static final class Pending {
        private final List<Message<String>> messages = new ArrayList<>();
        private DatasetVersionCreated latest;
        private Instant lastEventAt;
        private Instant retryAt = Instant.MIN;
        private Backoff backoff;

        synchronized void hold(DatasetVersionCreated version, Message<String> message, Instant now) {
            messages.add(message);
            if (latest == null || version.version() >= latest.version()) {
                latest = version;
            }
            lastEventAt = now;
        }

        synchronized DatasetVersionCreated latest() {
            return latest;
        }

        synchronized Instant lastEventAt() {
            return lastEventAt;
        }

        synchronized Instant retryAt() {
            return retryAt;
        }

        /** Planning failed: the next try waits a pause that grows with each failure in a row. */
        synchronized Duration failed(Instant now, Duration firstPause, Duration maxPause) {
            if (backoff == null) {
                backoff = new Backoff(firstPause, maxPause);
            }
            Duration pause = backoff.next();
            retryAt = now.plus(pause);
            return pause;
        }

        synchronized Pending absorb(Pending newer) {
            synchronized (newer) {
                newer.messages.forEach(message -> hold(newer.latest, message, newer.lastEventAt));
            }
            return this;
        }

        synchronized void acknowledge() {
            messages.forEach(Message::ack);
        }
    }
}
