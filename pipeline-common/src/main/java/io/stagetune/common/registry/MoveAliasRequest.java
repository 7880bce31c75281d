package io.stagetune.common.registry;

/**
 * Points an alias at a version.
 *
 * @param expectedVersion when given, the move happens only if the alias still points there (409 otherwise);
 *                        {@code 0} means "the alias must not exist yet"
 */
public record MoveAliasRequest(Long version, String reason, Long expectedVersion) {
}
