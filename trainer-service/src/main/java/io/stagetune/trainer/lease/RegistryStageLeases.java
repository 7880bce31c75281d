package io.stagetune.trainer.lease;

import io.stagetune.common.events.Stage;
import io.stagetune.common.events.StageCommand;
import io.stagetune.common.registry.LeaseRequest;
import io.stagetune.common.registry.LeaseState;
import io.stagetune.common.registry.StageLeaseView;
import io.stagetune.trainer.registry.RegistryRefusedException;
import io.stagetune.trainer.registry.RegistryUnavailableException;
import io.stagetune.trainer.registry.TrainerRegistry;
import io.stagetune.trainer.registry.UntilReachable;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Stage leases kept by the model registry, shared by every worker: the registry grants each stage to one live
 * owner at a time and refuses every change made with a token that is not the stage's latest (see the registry's
 * StageLeaseService). A held lease is renewed every third of its time to live on a background thread; a renewal the
 * registry refuses marks the lease lost, which the worker sees at its next epoch boundary. Changes that must
 * happen (acquiring, recording an epoch, completing, publishing) wait out a registry outage; a stage cannot be taken
 * from its holder while the registry is down, since only the registry grants it.
 */
public class RegistryStageLeases implements StageLeases, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RegistryStageLeases.class);

    private final TrainerRegistry registry;
    private final String owner;
    private final int ttlSeconds;
    private final UntilReachable retries;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "lease-renewal");
        thread.setDaemon(true);
        return thread;
    });

    public RegistryStageLeases(TrainerRegistry registry, String owner, Duration ttl, UntilReachable retries) {
        this.registry = registry;
        this.owner = owner;
        this.ttlSeconds = (int) Math.max(1, ttl.toSeconds());
        this.retries = retries;
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public Acquisition acquire(StageCommand command) throws InterruptedException {
        StageLeaseView view;
        try {
            view = retries.call("acquire the lease of run " + command.runId() + " stage " + command.stage(),
                    () -> registry.acquireLease(command.runId(), command.stage(),
                            LeaseRequest.acquire(owner, ttlSeconds)));
        } catch (RegistryRefusedException e) {
            if (e.status() == 404 || e.status() == 400) {
                // The run is unknown or has no such stage: the command does not belong to a recorded run.
                throw new IllegalArgumentException("run " + command.runId() + " stage " + command.stage()
                        + " cannot be leased: " + e.getMessage() + " (runs are created in the registry before "
                        + "their first stage command is sent)", e);
            }
            throw e;
        }
        return new Acquisition(view, view.granted() ? new RegistryLease(command.runId(), command.stage(), view)
                : null);
    }

    @Override
    public void close() {
        renewals.shutdownNow();
    }

    private final class RegistryLease implements StageLease {

        private final String runId;
        private final Stage stage;
        private final long token;
        private final ScheduledFuture<?> renewal;
        private volatile StageLeaseView view;
        private volatile boolean lost;

        RegistryLease(String runId, Stage stage, StageLeaseView view) {
            this.runId = runId;
            this.stage = stage;
            this.token = view.token();
            this.view = view;
            long period = Math.max(200, ttlSeconds * 1000L / 3);
            this.renewal = renewals.scheduleWithFixedDelay(this::renewInBackground, period, period,
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public long token() {
            return token;
        }

        @Override
        public LeaseState state() {
            return view.state();
        }

        @Override
        public Optional<String> epochCheckpoint() {
            return Optional.ofNullable(view.epochCheckpoint());
        }

        @Override
        public Optional<String> attempt() {
            return Optional.ofNullable(view.attempt());
        }

        @Override
        public void recordEpoch(int epoch, String folder) {
            change("record epoch " + epoch, () -> registry.renewLease(runId, stage,
                    LeaseRequest.epoch(owner, token, ttlSeconds, epoch, folder)));
        }

        @Override
        public void complete(String attemptFolder) {
            change("complete", () -> registry.completeLease(runId, stage,
                    LeaseRequest.complete(owner, token, attemptFolder)));
        }

        @Override
        public void confirm() {
            change("confirm", () -> registry.renewLease(runId, stage, LeaseRequest.renew(owner, token, ttlSeconds)));
        }

        @Override
        public void published() {
            change("mark published", () -> registry.leasePublished(runId, stage, LeaseRequest.holder(owner, token)));
        }

        @Override
        public void release() {
            renewal.cancel(false);
            try {
                view = registry.releaseLease(runId, stage, owner, token);
            } catch (RuntimeException e) {
                LOG.warnf("run %s stage %s: lease (token %d) not released, it expires in %d s: %s", runId, stage,
                        token, ttlSeconds, e.getMessage());
            }
        }

        @Override
        public boolean lost() {
            return lost;
        }

        @Override
        public void close() {
            renewal.cancel(false);
        }

        private void change(String what, Supplier<StageLeaseView> call) {
            String description = "run " + runId + " stage " + stage + ": " + what + " with lease token " + token;
            try {
                view = retries.call(description, call);
            } catch (RegistryRefusedException e) {
                if (e.status() == 409) {
                    lost = true;
                    renewal.cancel(false);
                    throw new LeaseLostException(description + " refused: " + e.getMessage(), e);
                }
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(description + " interrupted", e);
            }
        }

        private void renewInBackground() {
            try {
                view = registry.renewLease(runId, stage, LeaseRequest.renew(owner, token, ttlSeconds));
            } catch (RegistryRefusedException e) {
                if (e.status() == 409) {
                    lost = true;
                    renewal.cancel(false);
                    LOG.warnf("run %s stage %s: lease token %d is no longer this worker's: %s", runId, stage, token,
                            e.getMessage());
                } else {
                    LOG.warnf("run %s stage %s: lease not renewed: %s", runId, stage, e.getMessage());
                }
            } catch (RegistryUnavailableException e) {
                LOG.warnf("run %s stage %s: lease not renewed, the registry is unreachable: %s", runId, stage,
                        e.getMessage());
            } catch (RuntimeException e) {
                LOG.warnf(e, "run %s stage %s: lease not renewed", runId, stage);
            }
        }
    }
}
