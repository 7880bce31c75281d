package io.stagetune.ingest.replicas;

import io.stagetune.localstack.infrastructure.EmbeddedDatabase;

import java.nio.file.Path;
import java.util.Map;

/** The replica scenarios on an H2 server that both replicas share, as on the local stack. */
class H2ReplicasIT extends ReplicaScenarios {

    private EmbeddedDatabase database;

    @Override
    Path runner() {
        return Path.of("target/quarkus-app/quarkus-run.jar");
    }

    @Override
    Map<String, String> database(Path folder) {
        database = EmbeddedDatabase.start(folder.resolve("db"), 0);
        return Map.of("INGEST_DB_URL", database.jdbcUrl("ingest"), "INGEST_DB_USER", "ingest",
                "INGEST_DB_PASSWORD", "replica-test-password");
    }

    @Override
    void dropDatabase() {
        if (database != null) {
            database.close();
        }
    }
}
