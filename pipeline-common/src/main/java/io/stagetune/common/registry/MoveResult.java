package io.stagetune.common.registry;

import java.time.Instant;

/** The outcome of a move; {@code moved} is false when the alias already pointed at the version. */
public record MoveResult(String model, String alias, Long fromVersion, long version, boolean moved, Instant movedAt,
                         String actor, String reason) {
}
