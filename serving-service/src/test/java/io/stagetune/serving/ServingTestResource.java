package io.stagetune.serving;

import io.stagetune.testsupport.RegistryTestResource;

import java.util.Map;

/**
 * The serving-service's real neighbours: an embedded Kafka broker, an S3 store, and the model registry as its own
 * process (its packaged build on H2), which moves aliases and publishes the moves on {@code model-events}.
 */
public class ServingTestResource extends RegistryTestResource {

    @Override
    protected Map<String, String> registryConfig(String registryUrl) {
        return Map.of("quarkus.rest-client.registry.url", registryUrl);
    }

    public static String registryUrl() {
        return registry().url();
    }
}
