package io.stagetune.common.registry;

import java.time.Instant;

/** One entry of an alias's history; {@code fromVersion} is null for the move that created the alias. */
public record AliasMoveView(long id, String model, String alias, Long fromVersion, long toVersion, Instant movedAt,
                            String actor, String reason) {
}
