package io.stagetune.trainer.registry;

/** The registry answered a call with a 4xx: the request is wrong for its current state, retrying will not help. */
public class RegistryRefusedException extends RuntimeException {

    private final int status;

    public RegistryRefusedException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
