package io.stagetune.trainer.run;

import io.stagetune.common.events.Stage;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.registry.RunStatus;
import io.stagetune.common.registry.RunUpdate;
import io.stagetune.trainer.registry.RegistryRefusedException;
import io.stagetune.trainer.registry.TrainerRegistry;
import io.stagetune.trainer.registry.UntilReachable;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Stage progress as updates of the registry's run, sent one at a time in the order reported (one sender thread),
 * each retried with growing pauses for as long as the registry is unreachable. Training never waits for a report,
 * but a command's handler waits for the report of its outcome before it returns, so its offset is committed only
 * once the registry has it: an outage holds the worker at the end of a stage instead of losing the update, and a
 * worker that dies meanwhile reports again from the redelivered command. Each stage start also marks the plan's
 * earlier stages completed, so one lost report is repaired by the next. A report the registry refuses (a run it
 * does not know, a finished run) is logged and dropped.
 */
public class RegistryRunProgress implements RunProgress {

    private static final Logger LOG = Logger.getLogger(RegistryRunProgress.class);
    private static final int MAX_MESSAGE = 1500;

    private final TrainerRegistry registry;
    private final UntilReachable retries;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "run-progress");
        thread.setDaemon(true);
        return thread;
    });

    public RegistryRunProgress(TrainerRegistry registry, Duration firstPause, Duration maxPause) {
        this.registry = registry;
        this.retries = new UntilReachable(firstPause, maxPause);
    }

    @Override
    public void stageStarted(StageCommand command) {
        Map<Stage, RunStatus> stages = new LinkedHashMap<>();
        for (int i = 0; i < command.stageIndex(); i++) {
            stages.put(command.plan().get(i), RunStatus.COMPLETED);
        }
        stages.put(command.stage(), RunStatus.RUNNING);
        submit(command.runId(), new RunUpdate(null, stages, "stage " + command.stage() + " started"));
    }

    @Override
    public void stageCompleted(StageCommand command, String checkpoint, double valAccuracy)
            throws InterruptedException {
        await(submit(command.runId(), new RunUpdate(command.isLastStage() ? RunStatus.COMPLETED : null,
                Map.of(command.stage(), RunStatus.COMPLETED), String.format(Locale.ROOT,
                        "stage %s completed: checkpoint %s (val accuracy %.4f)", command.stage(), checkpoint,
                        valAccuracy))));
    }

    @Override
    public void stageFailed(StageCommand command, String reason) throws InterruptedException {
        String message = "stage " + command.stage() + " failed: " + reason;
        await(submit(command.runId(), new RunUpdate(RunStatus.FAILED, Map.of(command.stage(), RunStatus.FAILED),
                message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "..." : message)));
    }

    private Future<?> submit(String runId, RunUpdate update) {
        return sender.submit(() -> {
            deliver(runId, update);
            return null;
        });
    }

    private void deliver(String runId, RunUpdate update) throws InterruptedException {
        try {
            retries.call("run " + runId + ": progress \"" + update.message() + "\"",
                    () -> registry.updateRun(runId, update));
        } catch (RegistryRefusedException e) {
            LOG.warnf("run %s: progress \"%s\" dropped: %s", runId, update.message(), e.getMessage());
        }
    }

    private static void await(Future<?> report) throws InterruptedException {
        try {
            report.get();
        } catch (ExecutionException e) {
            LOG.warnf(e.getCause(), "run progress not recorded");
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
