package io.stagetune.trainer.run;

import io.stagetune.common.runtime.ObjectStoreConfig;
import io.stagetune.common.storage.ObjectStore;
import io.stagetune.trainer.config.TrainerConfig;
import io.stagetune.trainer.lease.LocalStageLeases;
import io.stagetune.trainer.lease.RegistryStageLeases;
import io.stagetune.trainer.lease.StageLeases;
import io.stagetune.trainer.registry.TrainerRegistry;
import io.stagetune.trainer.registry.UntilReachable;
import io.stagetune.trainer.worker.CheckpointStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Picks where runs live, where stage progress goes and who grants stage leases: the registry when one is configured,
 * else the store (and this process, for one worker).
 */
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

    @Produces
    @ApplicationScoped
    StageLeases leases(TrainerConfig config, TrainerRegistry registry, CheckpointStore checkpoints) {
        String owner = config.worker().id().orElseGet(RunStores::hostAndProcess);
        if (usesRegistry(config)) {
            return new RegistryStageLeases(registry, owner, config.worker().lease().ttl(),
                    new UntilReachable(config.registry().retryBackoff(), config.registry().maxRetryBackoff()));
        }
        return new LocalStageLeases(checkpoints, owner);
    }

    void close(@Disposes StageLeases leases) {
        if (leases instanceof RegistryStageLeases registryLeases) {
            registryLeases.close();
        }
    }

    /** The pod's name on Kubernetes (its host name), a container's id with docker, and the process id. */
    private static String hostAndProcess() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "trainer";
            }
        }
        return host + ":" + ProcessHandle.current().pid();
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
