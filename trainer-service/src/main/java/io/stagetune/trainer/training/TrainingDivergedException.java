package io.stagetune.trainer.training;

/**
 * A training step's loss was not a finite number: the weights are no longer usable, so the stage stops instead of
 * validating, saving and announcing a broken network. A worker retries the stage from its last epoch checkpoint.
 */
public final class TrainingDivergedException extends IllegalStateException {

    TrainingDivergedException(String message) {
        super(message);
    }
}
