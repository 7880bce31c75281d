package io.stagetune.trainer.registry;

import io.stagetune.testsupport.RegistryProcess;
import io.stagetune.testsupport.RegistryTestResource;

import java.util.Map;

/** Kafka, S3 and the model registry as a process, with the trainer configured to keep its runs there. */
public class TrainerRegistryTestResource extends RegistryTestResource {

    @Override
    protected Map<String, String> registryConfig(String registryUrl) {
        return Map.of("trainer.registry.url", registryUrl, "trainer.registry.token", RegistryProcess.TRAINER_TOKEN);
    }
}
