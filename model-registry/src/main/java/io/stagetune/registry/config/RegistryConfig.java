package io.stagetune.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** {@code registry.*}: storage of the model registry (its event delivery is {@code pipeline.outbox.*}). */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** Where the embedded H2 database keeps its file ({@code REGISTRY_DATA_DIR}); unused on PostgreSQL. */
    @WithDefault("./.data/registry")
    String dataDir();

    /** The web console served at the registry's root path. */
    Console console();

    interface Console {

        /** The ingest-service's base URL, for counts per label and split of dataset versions; unset: not shown. */
        Optional<String> ingestUrl();

        /** How long the console waits for ingest before it shows the page without counts. */
        @WithDefault("2s")
        Duration ingestTimeout();
    }
}
