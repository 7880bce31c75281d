package io.stagetune.trainer.lease;

import io.stagetune.common.events.StageCommand;
import io.stagetune.common.registry.LeaseState;
import io.stagetune.common.registry.StageLeaseView;

/**
 * Where stage leases live: the model registry when the trainer has one ({@link RegistryStageLeases}, any number of
 * workers), else this process ({@link LocalStageLeases}, one worker).
 */
public interface StageLeases {

    /** This worker's name as a lease owner. */
    String owner();

    /** Tries to take the lease of the command's stage. */
    Acquisition acquire(StageCommand command) throws InterruptedException;

    /**
     * What an acquisition found.
     *
     * @param view  the lease as it stands after the call (its holder, until when, its state)
     * @param lease this worker's hold on it, null when another live worker holds it or the stage is published
     */
    record Acquisition(StageLeaseView view, StageLease lease) {

        public boolean granted() {
            return lease != null;
        }

        public boolean published() {
            return view.state() == LeaseState.PUBLISHED;
        }
    }
}
