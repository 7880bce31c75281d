package io.stagetune.trainer.worker;

/**
 * The worker is shutting down and stopped a stage at an epoch boundary, after that epoch's checkpoint was durable and
 * recorded and the lease released: the stage's command stays uncommitted for the next worker, which resumes there.
 */
public class StageStoppedException extends RuntimeException {

    public StageStoppedException(String message) {
        super(message);
    }
}
