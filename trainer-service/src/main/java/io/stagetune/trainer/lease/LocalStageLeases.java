package io.stagetune.trainer.lease;

import io.stagetune.common.events.StageCommand;
import io.stagetune.common.registry.LeaseState;
import io.stagetune.common.registry.StageLeaseView;
import io.stagetune.trainer.worker.CheckpointStore;

import java.time.Instant;
import java.util.Optional;

/**
 * Stage leases of a trainer without a model registry, where one worker trains (commands are handled one at a time,
 * so this process never holds a stage twice). Every acquisition is granted; the token is one more than the stage's
 * highest attempt in the store, and training resumes from the most advanced epoch checkpoint there, so a restarted
 * worker carries on where the last one stopped. Nothing here excludes a second worker process: for more than one
 * worker, configure the registry ({@code trainer.registry.url}), which holds the leases with real concurrency
 * control.
 */
public class LocalStageLeases implements StageLeases {

    private final CheckpointStore checkpoints;
    private final String owner;

    public LocalStageLeases(CheckpointStore checkpoints, String owner) {
        this.checkpoints = checkpoints;
        this.owner = owner;
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public Acquisition acquire(StageCommand command) {
        long token = checkpoints.lastAttempt(command).orElse(0) + 1;
        String resume = checkpoints.latestEpochCheckpoint(command).orElse(null);
        Instant now = Instant.now();
        StageLeaseView view = new StageLeaseView(command.runId(), command.stage(), LeaseState.HELD, owner, token, null,
                null, resume, null, now, now, true);
        return new Acquisition(view, new LocalLease(token, resume));
    }

    private static final class LocalLease implements StageLease {

        private final long token;
        private LeaseState state = LeaseState.HELD;
        private String epochCheckpoint;
        private String attempt;

        LocalLease(long token, String epochCheckpoint) {
            this.token = token;
            this.epochCheckpoint = epochCheckpoint;
        }

        @Override
        public long token() {
            return token;
        }

        @Override
        public LeaseState state() {
            return state;
        }

        @Override
        public Optional<String> epochCheckpoint() {
            return Optional.ofNullable(epochCheckpoint);
        }

        @Override
        public Optional<String> attempt() {
            return Optional.ofNullable(attempt);
        }

        @Override
        public void recordEpoch(int epoch, String folder) {
            epochCheckpoint = folder;
        }

        @Override
        public void complete(String attemptFolder) {
            state = LeaseState.COMPLETED;
            attempt = attemptFolder;
        }

        @Override
        public void confirm() {
        }

        @Override
        public void published() {
            state = LeaseState.PUBLISHED;
        }

        @Override
        public void release() {
        }

        @Override
        public boolean lost() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
