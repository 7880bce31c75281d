package io.stagetune.trainer.run;

import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.registry.TrainerRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** Picks where runs live and where stage progress goes: the registry when one is configured, else the store. */
public class RunStores {

    @Produces
    @ApplicationScoped
    RunStore runs(TrainerConfig config, TrainerRegistry registry, ObjectStore store, ObjectStoreConfig storeConfig) {
        if (usesRegistry(config)) {
            return new RegistryRunStore(registry);
        }
        return new ObjectStoreRunStore(store, storeConfig);
    }

    @Produces
    @ApplicationScoped
    RunProgress progress(TrainerConfig config, TrainerRegistry registry) {
        if (usesRegistry(config)) {
            return new RegistryRunProgress(registry, config.registry().retryBackoff(),
                    config.registry().maxRetryBackoff());
        }
        return RunProgress.NONE;
    }

    void close(@Disposes RunProgress progress) {
        progress.close();
    }

    /** Whether the registry owns runs; a URL without a token is a configuration error, named as such. */
    public static boolean usesRegistry(TrainerConfig config) {
        if (config.registry().url().isEmpty()) {
            return false;
        }
        if (config.registry().token().isEmpty()) {
            throw new IllegalStateException("trainer.registry.url (REGISTRY_URL) is " + config.registry().url().get()
                    + " but trainer.registry.token (REGISTRY_TRAINER_TOKEN) is not set: the registry needs the "
                    + "token of its trainer role to record runs");
        }
        return true;
    }
}
