package io.stagetune.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code registry.*}: storage and event delivery of the model registry. */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** Where the embedded H2 database keeps its file ({@code REGISTRY_DATA_DIR}); unused on PostgreSQL. */
    @WithDefault("./.data/registry")
    String dataDir();

    Outbox outbox();

    interface Outbox {
        /** How often pending events are sent ({@code registry.outbox.relay-every}). */
        @WithDefault("1s")
        Duration relayEvery();

        /** How long one send waits for the broker's acknowledgement before the relay tries again later. */
        @WithDefault("10s")
        Duration sendTimeout();

        /** Events read per relay round. */
        @WithDefault("100")
        int batchSize();

        /** How long sent events stay in the outbox table (for inspection) before they are deleted. */
        @WithDefault("7d")
        Duration retention();
    }
}
