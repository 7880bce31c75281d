package io.stagetune.common.checkpoint;

import java.util.Objects;

/**
 * The production version a run starts from instead of its base backbone (a warm start): its backbone, and its head
 * with rows matched to the run's labels by name. Resolved once, when the run is planned, and carried by the run and
 * every one of its stage commands and checkpoints, so a retried or handed-over stage starts from the same version
 * however production has moved since.
 *
 * @param version    the model's version that {@code production} pointed at when the run was planned
 * @param checkpoint that version's checkpoint folder
 */
public record WarmStart(long version, String checkpoint) {

    public WarmStart {
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive, got " + version);
        }
    }
}
