package io.stagetune.trainer.lease;

import io.stagetune.common.registry.LeaseState;

import java.util.Optional;

/**
 * This worker's hold on one stage, with the fencing token it was granted. Every change below is accepted only while
 * that token is the stage's latest grant; otherwise it throws {@link LeaseLostException} and changes nothing. While
 * open, the lease is renewed in the background; closing it stops that (it does not release it).
 */
public interface StageLease extends AutoCloseable {

    long token();

    /** HELD: train the stage (resuming from {@link #epochCheckpoint()}); COMPLETED: publish {@link #attempt()}. */
    LeaseState state();

    /** The folder of the stage's last recorded epoch checkpoint, by whichever holder: where training resumes. */
    Optional<String> epochCheckpoint();

    /** Once COMPLETED: the folder of the checkpoint attempt chosen as the stage's checkpoint. */
    Optional<String> attempt();

    /** Records that the epoch's checkpoint is durable in {@code folder}; the next holder resumes there. */
    void recordEpoch(int epoch, String folder);

    /** Chooses {@code attemptFolder} as the stage's checkpoint; only the first completion of a stage succeeds. */
    void complete(String attemptFolder);

    /** Checks, now, that the lease is still this worker's (before a step that others must not repeat). */
    void confirm();

    /** The checkpoint event and the next command are sent: the stage is done, nobody acquires it again. */
    void published();

    /** Hands the lease back, so the next holder need not wait for it to expire. Never throws. */
    void release();

    /** Whether a background renewal found the lease taken by another worker. */
    boolean lost();

    @Override
    void close();
}
