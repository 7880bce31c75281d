package io.stagetune.common.events;

/** A message that cannot be turned into the event its consumer expects: it belongs in the dead-letter topic. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
