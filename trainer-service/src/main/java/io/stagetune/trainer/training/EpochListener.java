package io.stagetune.trainer.training;

import java.io.IOException;

/** Told after every epoch; may persist the epoch so that a stage can resume after it. */
@FunctionalInterface
public interface EpochListener {

    EpochListener NONE = (report, snapshot) -> { };

    /**
     * @param report   the epoch's metrics
     * @param snapshot the stage's state after the epoch, valid only during this call
     */
    void epochCompleted(EpochReport report, EpochSnapshot snapshot) throws IOException;
}
