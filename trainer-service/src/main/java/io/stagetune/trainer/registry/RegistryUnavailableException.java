package io.stagetune.trainer.registry;

/** The registry cannot be reached or is failing (5xx, timeouts): worth retrying later, never a verdict. */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
