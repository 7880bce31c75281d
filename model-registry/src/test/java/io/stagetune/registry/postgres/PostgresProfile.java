package io.stagetune.registry.postgres;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/**
 * The registry built for PostgreSQL (the database kind is build-time configuration, which a test profile may set
 * because each profile gets its own build), on a fresh schema of the test server.
 */
public class PostgresProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.db-kind", "postgresql");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(PostgresSchemaResource.class));
    }
}
