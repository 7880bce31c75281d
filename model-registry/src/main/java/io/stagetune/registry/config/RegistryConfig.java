package io.stagetune.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code registry.*}: storage of the model registry (its event delivery is {@code pipeline.outbox.*}). */
@ConfigMapping(prefix = "registry")
public interface RegistryConfig {

    /** Where the embedded H2 database keeps its file ({@code REGISTRY_DATA_DIR}); unused on PostgreSQL. */
    @WithDefault("./.data/registry")
    String dataDir();
}
