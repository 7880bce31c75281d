package io.stagetune.trainer.planner;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The planner without stage workers, so planned commands stay on the topic for the test to read. */
public class PlannerOnlyProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mp.messaging.incoming.training-commands.enabled", "false");
    }
}
