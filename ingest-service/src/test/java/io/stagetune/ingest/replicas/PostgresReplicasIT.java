package io.stagetune.ingest.replicas;

import io.stagetune.testsupport.PostgresSchema;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.util.Map;

/**
 * The replica scenarios on PostgreSQL, on a fresh schema of the test server (see {@link PostgresSchema}); skipped
 * where none accepts a connection.
 */
class PostgresReplicasIT extends ReplicaScenarios {

    private PostgresSchema schema;

    @Override
    Path runner() {
        return Path.of("target/quarkus-app-postgresql/quarkus-run.jar");
    }

    @Override
    Map<String, String> database(Path folder) {
        PostgresSchema.unavailable().ifPresent(reason -> {
            System.out.println("[WARNING] PostgreSQL tests SKIPPED: " + reason);
            Assumptions.abort(reason);
        });
        schema = PostgresSchema.named("ingest_replicas");
        return IngestReplicas.postgresEnvironment(schema);
    }

    @Override
    void dropDatabase() {
        if (schema != null) {
            schema.close();
        }
    }
}
