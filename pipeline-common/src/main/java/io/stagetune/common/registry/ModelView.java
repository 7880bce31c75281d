package io.stagetune.common.registry;

import java.time.Instant;
import java.util.Map;

/** A model with its version count, newest version and current aliases (alias name to version). */
public record ModelView(String name, Instant createdAt, long versions, Long latestVersion,
                        Map<String, Long> aliases) {
}
