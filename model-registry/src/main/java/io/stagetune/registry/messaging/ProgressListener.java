package io.stagetune.registry.messaging;

import io.smallrye.reactive.messaging.annotations.Blocking;
import io.stagetune.common.events.EpochCompleted;
import io.stagetune.common.events.EventJson;
import io.stagetune.registry.service.RunService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code training-progress} (group {@code model-registry}, shared by all replicas, so each partition has one
 * consumer) and keeps every epoch for the console's run curves. The offset is committed after the row is written; a
 * redelivered epoch replaces the stored one. A message that is not an epoch event goes to
 * {@code training-progress-dlq}.
 */
@ApplicationScoped
public class ProgressListener {

    private final RunService runs;

    public ProgressListener(RunService runs) {
        this.runs = runs;
    }

    @Incoming("training-progress")
    @Blocking(ordered = true)
    public void onEpoch(String payload) {
        EpochCompleted epoch = EventJson.read(payload, EpochCompleted.class);
        try {
            runs.recordEpoch(epoch);
        } catch (PersistenceException e) {
            // Another consumer wrote the same epoch in between (a rebalance): now it is there to update.
            runs.recordEpoch(epoch);
        }
    }
}
