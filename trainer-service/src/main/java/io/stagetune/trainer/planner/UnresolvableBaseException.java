package io.stagetune.trainer.planner;

/** A {@code models:/<model>@<alias>} base backbone that the registry cannot resolve now (no such model or alias). */
public class UnresolvableBaseException extends RuntimeException {

    public UnresolvableBaseException(String message) {
        super(message);
    }
}
