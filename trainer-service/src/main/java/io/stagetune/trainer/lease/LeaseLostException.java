package io.stagetune.trainer.lease;

/**
 * This worker's lease on a stage is no longer current: another worker was granted it (this one paused, was cut
 * off or stopped renewing past the expiry). The stage is that worker's now; what this one wrote is not used.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
