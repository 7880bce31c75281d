package io.stagetune.trainer.worker;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.stagetune.common.events.CheckpointPublished;
import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.runtime.EventSender;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.run.RunProgress;
import io.stagetune.trainer.training.EpochReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

/**
 * A trainer worker: consumes {@code training-commands} in consumer group {@code trainers}, one command at a time
 * (the method blocks a dedicated worker thread while the consumer keeps polling, so the worker keeps its
 * partitions through hours of training). The command's offset is committed only when this method returns, which
 * is after the checkpoint is durable and the checkpoint event and next stage command are acknowledged. A command
 * that cannot be parsed, or that still fails after its attempts, is sent to {@code training-commands-dlq}. Stage
 * start, completion and failure are reported to the run ({@link RunProgress}); the outcome is recorded before the
 * method returns.
 */
@ApplicationScoped
public class StageWorker {

    private static final Logger LOG = Logger.getLogger(StageWorker.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final StageExecutor executor;
    private final Emitter<String> progress;
    private final Emitter<String> checkpoints;
    private final Emitter<String> commands;
    private final TrainingMetrics metrics;
    private final TrainerConfig config;
    private final RunProgress runProgress;

    public StageWorker(StageExecutor executor,
                       @Channel("training-progress") Emitter<String> progress,
                       @Channel("training-checkpoints") Emitter<String> checkpoints,
                       @Channel("training-commands-out") Emitter<String> commands,
                       TrainingMetrics metrics, TrainerConfig config, RunProgress runProgress) {
        this.executor = executor;
        this.progress = progress;
        this.checkpoints = checkpoints;
        this.commands = commands;
        this.metrics = metrics;
        this.config = config;
        this.runProgress = runProgress;
    }

    @Incoming("training-commands")
    @Blocking(value = "training", ordered = true)
    public void onCommand(String payload) throws Exception {
        StageCommand command;
        try {
            command = EventJson.read(payload, StageCommand.class);
        } catch (RuntimeException e) {
            metrics.commandFailed("malformed");
            LOG.errorf("malformed command, to the dead-letter topic: %s", e.getMessage());
            throw e;
        }
        metrics.started();
        try {
            runProgress.stageStarted(command);
            process(command);
        } catch (Error e) {
            // A broken installation (native library, class path): say so loudly, the command goes to the DLQ.
            metrics.commandFailed("error");
            LOG.errorf(e, "run %s stage %s cannot run here", command.runId(), command.stage());
            runProgress.stageFailed(command, "cannot run on this worker: " + e);
            throw e;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            runProgress.stageFailed(command, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            metrics.finished();
        }
    }

    /** Runs the command with a few attempts for failures of storage or broker, then publishes its results. */
    void process(StageCommand command) throws Exception {
        long began = System.nanoTime();
        int attempts = config.worker().attempts();
        for (int attempt = 1; ; attempt++) {
            try {
                StageExecutor.Outcome outcome = executor.execute(command, this::publishEpoch);
                publishResults(command, outcome);
                runProgress.stageCompleted(command, outcome.uri(), outcome.checkpoint().valAccuracy());
                if (outcome.trained()) {
                    metrics.stageCompleted(command.model(), command.stage(), Duration.ofNanos(System.nanoTime() - began));
                }
                return;
            } catch (IllegalArgumentException e) {
                // The command itself is wrong (unknown dataset version, bad hyperparameter): retrying won't help.
                metrics.commandFailed("invalid");
                LOG.errorf("run %s stage %s is invalid, to the dead-letter topic: %s", command.runId(),
                        command.stage(), e.getMessage());
                throw e;
            } catch (IOException | RuntimeException e) {
                if (attempt >= attempts) {
                    metrics.commandFailed("exhausted");
                    LOG.errorf(e, "run %s stage %s failed %d times, to the dead-letter topic", command.runId(),
                            command.stage(), attempts);
                    throw e;
                }
                LOG.warnf("run %s stage %s attempt %d failed, retrying: %s", command.runId(), command.stage(),
                        attempt, e.getMessage());
                Thread.sleep(config.worker().retryBackoff().toMillis() * attempt);
            }
        }
    }

    private void publishEpoch(StageCommand command, EpochReport report, int maxEpochs) {
        metrics.epoch(command.model(), command.stage(), report);
        EpochCompleted event = new EpochCompleted(UUID.randomUUID(), PipelineEvent.SCHEMA_VERSION,
                PipelineEvent.now(), command.runId(), command.model(), command.stage(), report.epoch(), maxEpochs,
                report.trainLoss(), report.trainAccuracy(), report.valAccuracy(), report.imagesPerSecond(),
                report.durationMillis(), report.best());
        // Progress is informational: a lost epoch event must not fail the stage.
        EventSender.sendAsync(progress, event).exceptionally(failure -> {
            LOG.warnf("epoch event of run %s not sent: %s", command.runId(), failure.getMessage());
            return null;
        });
    }

    private void publishResults(StageCommand command, StageExecutor.Outcome outcome) {
        var checkpoint = outcome.checkpoint();
        // Ids derive from the checkpoint, so a republished result is recognisably the same event.
        CheckpointPublished published = new CheckpointPublished(
                UUID.nameUUIDFromBytes(("checkpoint:" + outcome.uri()).getBytes()), PipelineEvent.SCHEMA_VERSION,
                PipelineEvent.now(), command.runId(), command.model(), command.datasetId(), command.datasetVersion(),
                command.plan(), command.stageIndex(), command.stage(), command.isLastStage(), outcome.uri(),
                command.parentCheckpoint(), command.baseBackbone(), checkpoint.labels(), checkpoint.bestEpoch(),
                checkpoint.valAccuracy());
        EventSender.send(checkpoints, published, SEND_TIMEOUT);
        if (!command.isLastStage()) {
            StageCommand next = command.next(outcome.uri());
            StageCommand stable = new StageCommand(UUID.nameUUIDFromBytes(("next:" + outcome.uri()).getBytes()),
                    next.schemaVersion(), next.occurredAt(), next.runId(), next.model(), next.datasetId(),
                    next.datasetVersion(), next.plan(), next.stageIndex(), next.stage(), next.baseBackbone(),
                    next.parentCheckpoint(), next.hyperparameters());
            EventSender.send(commands, stable, SEND_TIMEOUT);
        }
        LOG.infof("run %s stage %s: checkpoint %s (best epoch %d, val accuracy %.4f)", command.runId(),
                command.stage(), outcome.uri(), checkpoint.bestEpoch(), checkpoint.valAccuracy());
    }
}
