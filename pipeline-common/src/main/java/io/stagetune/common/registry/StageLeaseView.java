package io.stagetune.common.registry;

import io.stagetune.common.events.Stage;

import java.time.Instant;

/**
 * A stage's lease as the registry keeps it: one live owner per (run, stage), a fencing token that grows with every
 * grant, and what a next holder needs (the last durable epoch checkpoint, the chosen checkpoint attempt).
 *
 * @param granted         whether the worker that made this call holds the lease with {@code token} now
 * @param epoch           the last epoch whose checkpoint a holder recorded, null before the first
 * @param epochCheckpoint the folder of that epoch checkpoint, where the next holder resumes
 * @param attempt         once COMPLETED: the folder of the checkpoint files that become the stage's checkpoint
 */
public record StageLeaseView(String runId, Stage stage, LeaseState state, String owner, long token,
                             Instant expiresAt, Integer epoch, String epochCheckpoint, String attempt,
                             Instant acquiredAt, Instant updatedAt, boolean granted) {
}
