package io.stagetune.evaluator.messaging;

import io.stagetune.testsupport.RegistryProcess;
import io.stagetune.testsupport.RegistryTestResource;

import java.util.Map;

/**
 * The evaluator's real neighbours: an embedded Kafka broker, an S3 store, and the model registry running as its
 * own process (its packaged build, on H2 in a temporary folder), which a test can stop and start again.
 */
public class PipelineTestResource extends RegistryTestResource {

    @Override
    protected Map<String, String> registryConfig(String registryUrl) {
        return Map.of("quarkus.rest-client.registry.url", registryUrl,
                "evaluator.registry-token", RegistryProcess.EVALUATOR_TOKEN);
    }

    public static String registryUrl() {
        return registry().url();
    }

    public static void stopRegistry() {
        registry().stop();
    }

    /** Starts the registry (again) on the same port and database. */
    public static void startRegistry() {
        registry().startAgain();
    }
}
