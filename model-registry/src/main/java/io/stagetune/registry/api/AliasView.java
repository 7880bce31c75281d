package io.stagetune.registry.api;

import java.time.Instant;

/** Where an alias points now, and the move that put it there. */
public record AliasView(String model, String alias, long version, Instant movedAt, String movedBy, String reason) {
}
