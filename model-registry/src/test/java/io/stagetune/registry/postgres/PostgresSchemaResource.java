package io.stagetune.registry.postgres;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A schema of its own on the PostgreSQL server for one test application, dropped afterwards, so test runs (and
 * other users of the database) never see each other's rows. Flyway creates it and migrates it.
 */
public class PostgresSchemaResource implements QuarkusTestResourceLifecycleManager {

    private String schema;

    @Override
    public Map<String, String> start() {
        schema = "registry_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return Map.of(
                "quarkus.datasource.jdbc.url", PostgresTarget.urlWithSchema(schema),
                "quarkus.datasource.username", PostgresTarget.USER,
                "quarkus.datasource.password", PostgresTarget.PASSWORD,
                "quarkus.flyway.schemas", schema);
    }

    @Override
    public void stop() {
        if (schema == null) {
            return;
        }
        try (Connection connection = PostgresTarget.connect(); Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            System.err.println("[WARNING] could not drop test schema " + schema + ": " + e.getMessage());
        }
    }
}
