package io.stagetune.common.runtime;

import java.time.Duration;

/**
 * Growing pauses for waiting out an outage of a neighbour (the registry, the store, the broker): the first pause,
 * then twice the last, up to a maximum, for as long as the outage lasts. Not thread-safe: one per retry loop.
 */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first pause (" + first + ") <= max (" + max + ")");
        }
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The pause to take now; the one after it is twice as long, up to the maximum. */
    public Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    /** Sleeps for {@link #next()} and returns how long. */
    public Duration pause() throws InterruptedException {
        Duration pause = next();
        Thread.sleep(pause.toMillis());
        return pause;
    }

    /** After a success: the next failure starts again from the first pause. */
    public void reset() {
        next = first;
    }
}
