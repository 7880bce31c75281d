package io.stagetune.trainer.worker;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.stagetune.common.events.CheckpointPublished;
import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.EventJson;
import io.stagetune.common.events.PipelineEvent;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.registry.LeaseState;
import io.stagetune.common.runtime.Backoff;
import io.stagetune.common.runtime.EventSender;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.lease.LeaseLostException;
import io.stagetune.trainer.lease.StageLease;
import io.stagetune.trainer.lease.StageLeases;
import io.stagetune.trainer.run.RunProgress;
import io.stagetune.trainer.training.EpochReport;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A trainer worker: consumes {@code training-commands} in consumer group {@code trainers}, one command at a time
 * (the method blocks a dedicated worker thread while the consumer keeps polling, so the worker keeps its other
 * partitions through hours of training).
 * <p>
 * One live owner per stage: a command is trained only under the stage's lease ({@link StageLeases}). A command whose
 * stage another live worker holds is not trained here: the worker checks again every
 * {@code trainer.worker.lease.check-every} for up to {@code trainer.worker.lease.wait} (the longest this blocks the
 * worker's other partitions), then defers it: sends it again to the end of its partition and commits this copy.
 * A command whose stage is published already is committed without doing anything.
 * <p>
 * The offset is committed after the checkpoint is durable and accepted, the checkpoint event and the next stage
 * command are acknowledged by the broker, and the lease records the stage as published; a worker that lost its lease
 * meanwhile commits without publishing (the new holder publishes). A command that cannot be parsed, or that still
 * fails after its attempts, is sent to {@code training-commands-dlq}. A stopping worker leaves its command
 * uncommitted for the next one ({@link WorkerShutdown}). Stage start, completion and failure are reported to the run
 * ({@link RunProgress}).
 */
@ApplicationScoped
public class StageWorker {

    private static final Logger LOG = Logger.getLogger(StageWorker.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    /** The command being handled and the partition it came from, for the rebalance listener. */
    public record InFlight(StageCommand command, TopicPartition partition) {
    }

    private final StageExecutor executor;
    private final Emitter<String> progress;
    private final Emitter<String> checkpoints;
    private final Emitter<String> commands;
    private final TrainingMetrics metrics;
    private final TrainerConfig config;
    private final RunProgress runProgress;
    private final StageLeases leases;
    private final WorkerShutdown shutdown;
    private volatile InFlight inFlight;

    public StageWorker(StageExecutor executor,
                       @Channel("training-progress") Emitter<String> progress,
                       @Channel("training-checkpoints") Emitter<String> checkpoints,
                       @Channel("training-commands-out") Emitter<String> commands,
                       TrainingMetrics metrics, TrainerConfig config, RunProgress runProgress, StageLeases leases,
                       WorkerShutdown shutdown) {
        this.executor = executor;
        this.progress = progress;
        this.checkpoints = checkpoints;
        this.commands = commands;
        this.metrics = metrics;
        this.config = config;
        this.runProgress = runProgress;
        this.leases = leases;
        this.shutdown = shutdown;
    }

    /** What happened to a command: acknowledge it, or leave it uncommitted for the next worker. */
    private enum Disposition { DONE, LEFT }

    @Incoming("training-commands")
    @Blocking(value = "training", ordered = true)
    public CompletionStage<Void> onCommand(Message<String> message) {
        StageCommand command;
        try {
            command = EventJson.read(message.getPayload(), StageCommand.class);
        } catch (RuntimeException e) {
            metrics.commandFailed("malformed");
            LOG.errorf("malformed command, to the dead-letter topic: %s", e.getMessage());
            return message.nack(e);
        }
        if (!shutdown.enter()) {
            LOG.infof("stopping: run %s stage %s is left to the next worker", command.runId(), command.stage());
            return CompletableFuture.completedFuture(null);
        }
        inFlight = new InFlight(command, message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(record -> new TopicPartition(record.getTopic(), record.getPartition())).orElse(null));
        metrics.started();
        try {
            return handle(command) == Disposition.DONE ? message.ack() : CompletableFuture.completedFuture(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.completedFuture(null);
        } catch (Exception | Error e) {
            return message.nack(e);
        } finally {
            inFlight = null;
            metrics.finished();
            shutdown.exit();
        }
    }

    /** The command this worker is handling now, if any. */
    public Optional<InFlight> inFlight() {
        return Optional.ofNullable(inFlight);
    }

    private Disposition handle(StageCommand command) throws Exception {
        while (true) {
            StageLeases.Acquisition acquisition;
            try {
                acquisition = awaitLease(command);
            } catch (IllegalArgumentException e) {
                metrics.commandFailed("invalid");
                LOG.errorf("run %s stage %s is invalid, to the dead-letter topic: %s", command.runId(),
                        command.stage(), e.getMessage());
                throw e;
            }
            if (acquisition.published()) {
                LOG.infof("run %s stage %s is published already (by %s): nothing to do", command.runId(),
                        command.stage(), acquisition.view().owner());
                return Disposition.DONE;
            }
            if (acquisition.granted()) {
                try (StageLease lease = acquisition.lease()) {
                    return train(command, lease);
                }
            }
            if (shutdown.stopping()) {
                return Disposition.LEFT;
            }
            try {
                defer(command, acquisition);
                return Disposition.DONE;
            } catch (EventSender.EventNotSentException e) {
                // The broker cannot take the copy now: keep waiting for the lease here rather than drop the command.
                LOG.warnf("run %s stage %s not deferred, waiting for its lease again: %s", command.runId(),
                        command.stage(), e.getMessage());
            }
        }
    }

    private Disposition train(StageCommand command, StageLease lease) throws Exception {
        try {
            if (lease.state() == LeaseState.HELD) {
                runProgress.stageStarted(command);
            }
            process(command, lease);
            return Disposition.DONE;
        } catch (LeaseLostException e) {
            metrics.leaseLost();
            LOG.warnf("run %s stage %s: this worker lost its lease; the stage is the new holder's: %s",
                    command.runId(), command.stage(), e.getMessage());
            return Disposition.DONE;
        } catch (StageStoppedException e) {
            metrics.stageStopped();
            LOG.info(e.getMessage() + "; the command is left to the next worker");
            return Disposition.LEFT;
        } catch (Error e) {
            // A broken installation (native library, class path): say so loudly, the command goes to the DLQ.
            metrics.commandFailed("error");
            LOG.errorf(e, "run %s stage %s cannot run here", command.runId(), command.stage());
            lease.release();
            runProgress.stageFailed(command, "cannot run on this worker: " + e);
            throw e;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            lease.release();
            runProgress.stageFailed(command, String.valueOf(e.getMessage()));
            throw e;
        }
    }

    /**
     * Acquires the stage's lease, checking again while another live worker holds it, for at most
     * {@code trainer.worker.lease.wait}; returns what the last check found.
     */
    private StageLeases.Acquisition awaitLease(StageCommand command) throws InterruptedException {
        long deadline = System.nanoTime() + config.worker().lease().waitForHolder().toNanos();
        StageLeases.Acquisition acquisition = leases.acquire(command);
        if (!acquisition.granted() && !acquisition.published()) {
            LOG.infof("run %s stage %s is leased by %s (token %d, until %s): waiting up to %d s", command.runId(),
                    command.stage(), acquisition.view().owner(), acquisition.view().token(),
                    acquisition.view().expiresAt(), config.worker().lease().waitForHolder().toSeconds());
        }
        while (!acquisition.granted() && !acquisition.published() && System.nanoTime() < deadline) {
            if (shutdown.pause(config.worker().lease().checkEvery())) {
                return acquisition;
            }
            acquisition = leases.acquire(command);
        }
        return acquisition;
    }

    /** Sends the command again, to the end of its partition, so the commands behind it are not held up. */
    private void defer(StageCommand command, StageLeases.Acquisition acquisition) {
        EventSender.send(commands, command, SEND_TIMEOUT);
        metrics.commandDeferred();
        LOG.infof("run %s stage %s is still leased by %s (token %d): deferred to the end of its partition",
                command.runId(), command.stage(), acquisition.view().owner(), acquisition.view().token());
    }

    /** Runs the command with a few attempts for failures of storage or broker, then publishes its results. */
    void process(StageCommand command, StageLease lease) throws Exception {
        long began = System.nanoTime();
        int attempts = config.worker().attempts();
        Backoff backoff = new Backoff(config.worker().retryBackoff(), config.worker().maxRetryBackoff());
        for (int attempt = 1; ; attempt++) {
            try {
                StageExecutor.Outcome outcome = executor.execute(command, lease, this::publishEpoch);
                publishResults(command, outcome, lease);
                runProgress.stageCompleted(command, outcome.uri(), outcome.checkpoint().valAccuracy());
                if (outcome.trained()) {
                    metrics.stageCompleted(command.model(), command.stage(), Duration.ofNanos(System.nanoTime() - began));
                }
                return;
            } catch (LeaseLostException | StageStoppedException e) {
                throw e;
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
                backoff.pause();
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

    /**
     * Sends the checkpoint event and the next stage command, if this worker still holds the lease, then records the
     * stage as published. Ids derive from the checkpoint, so a result sent again (a holder that died before the
     * record) is recognisably the same event.
     */
    public void publishResults(StageCommand command, StageExecutor.Outcome outcome, StageLease lease) {
        lease.confirm();
        var checkpoint = outcome.checkpoint();
        CheckpointPublished published = new CheckpointPublished(
                UUID.nameUUIDFromBytes(("checkpoint:" + outcome.uri()).getBytes()), PipelineEvent.SCHEMA_VERSION,
                PipelineEvent.now(), command.runId(), command.model(), command.datasetId(), command.datasetVersion(),
                command.plan(), command.stageIndex(), command.stage(), command.isLastStage(), outcome.uri(),
                command.startCheckpoint(), command.baseBackbone(), checkpoint.labels(), checkpoint.bestEpoch(),
                checkpoint.valAccuracy());
        EventSender.send(checkpoints, published, SEND_TIMEOUT);
        if (!command.isLastStage()) {
            StageCommand next = command.next(outcome.uri());
            StageCommand stable = new StageCommand(UUID.nameUUIDFromBytes(("next:" + outcome.uri()).getBytes()),
                    next.schemaVersion(), next.occurredAt(), next.runId(), next.model(), next.datasetId(),
                    next.datasetVersion(), next.plan(), next.stageIndex(), next.stage(), next.baseBackbone(),
                    next.parentCheckpoint(), next.hyperparameters(), next.warmStart());
            EventSender.send(commands, stable, SEND_TIMEOUT);
        }
        lease.published();
        LOG.infof("run %s stage %s: checkpoint %s (best epoch %d, val accuracy %.4f)", command.runId(),
                command.stage(), outcome.uri(), checkpoint.bestEpoch(), checkpoint.valAccuracy());
    }
}
