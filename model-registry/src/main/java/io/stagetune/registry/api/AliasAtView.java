package io.stagetune.registry.api;

import java.time.Instant;

/** What an alias pointed at, at a given time, and since when (the move in effect then). */
public record AliasAtView(String model, String alias, Instant at, long version, Instant since, String actor,
                          String reason) {
}
