package io.stagetune.common.registry;

/**
 * Where a stage's lease stands. {@code HELD}: a worker trains the stage. {@code RELEASED}: its holder stopped at an
 * epoch boundary and handed it back (the next holder resumes). {@code COMPLETED}: the stage's checkpoint is chosen
 * (the attempt of the token that completed it) and its holder is publishing it. {@code PUBLISHED}: the checkpoint
 * event and the next stage command are on their topics; nobody acquires the stage again.
 */
public enum LeaseState {
    HELD, RELEASED, COMPLETED, PUBLISHED
}
