package io.stagetune.trainer.registry;

import io.stagetune.common.runtime.Backoff;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Repeats a registry call for as long as the registry cannot be reached ({@link RegistryUnavailableException}),
 * with growing pauses; a refusal ({@link RegistryRefusedException}) ends it at once. For calls that must happen,
 * such as recording a worker's progress: an outage holds the caller instead of losing the call.
 */
public final class UntilReachable {

    private static final Logger LOG = Logger.getLogger(UntilReachable.class);

    private final Duration firstPause;
    private final Duration maxPause;

    public UntilReachable(Duration firstPause, Duration maxPause) {
        this.firstPause = firstPause;
        this.maxPause = maxPause;
    }

    public <T> T call(String what, Supplier<T> call) throws InterruptedException {
        Backoff backoff = new Backoff(firstPause, maxPause);
        while (true) {
            try {
                return call.get();
            } catch (RegistryUnavailableException e) {
                Duration pause = backoff.next();
                LOG.warnf("%s: not done yet, retrying in %d ms: %s", what, pause.toMillis(), e.getMessage());
                Thread.sleep(pause.toMillis());
            }
        }
    }
}
