package io.stagetune.ingest.replicas;

import io.stagetune.common.storage.ObjectStoreSettings;
import io.stagetune.localstack.infrastructure.FreePorts;
import io.stagetune.localstack.infrastructure.ServiceProcess;
import io.stagetune.testsupport.PostgresSchema;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Processes of the packaged ingest service sharing one database, broker and store, as replicas behind a load
 * balancer would: each can be killed (SIGKILL) and started again on its port.
 */
final class IngestReplicas implements AutoCloseable {

    static final String TOKEN = "replica-test-token";
    static final String REVIEWER_TOKEN = "replica-test-reviewer-token";

    private final Path runner;
    private final Map<String, String> environment;
    private final Path logs;
    private final List<Integer> ports = new ArrayList<>();
    private final List<ServiceProcess> processes = new ArrayList<>();

    private IngestReplicas(Path runner, Map<String, String> environment, Path logs) {
        this.runner = runner;
        this.environment = environment;
        this.logs = logs;
    }

    /**
     * @param runner   the packaged service ({@code target/quarkus-app/quarkus-run.jar}, or the PostgreSQL build)
     * @param database the {@code INGEST_DB_*} variables (and any other) of the shared database
     */
    static IngestReplicas start(Path runner, int count, Map<String, String> database, String kafkaBootstrapServers,
                                ObjectStoreSettings store, Path logs) {
        Map<String, String> environment = new HashMap<>(database);
        environment.putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers,
                "PIPELINE_OBJECT_STORE_ENDPOINT", store.endpoint(),
                "PIPELINE_OBJECT_STORE_ACCESS_KEY", store.accessKey(),
                "PIPELINE_OBJECT_STORE_SECRET_KEY", store.secretKey(),
                "INGEST_TOKEN", TOKEN,
                "INGEST_REVIEWER_TOKEN", REVIEWER_TOKEN,
                // Review scenario: every prediction below 0.6 is picked, none at random; 10 labels seal a version.
                "INGEST_REVIEW_AUDIT_PERCENT", "0",
                "INGEST_REVIEW_BATCH_SIZE", "10"));
        IngestReplicas replicas = new IngestReplicas(runner, Map.copyOf(environment), logs);
        try {
            for (int i = 0; i < count; i++) {
                replicas.ports.add(FreePorts.pick());
                replicas.processes.add(null);
                replicas.launch(i);
            }
            for (int i = 0; i < count; i++) {
                replicas.awaitReady(i);
            }
            return replicas;
        } catch (RuntimeException e) {
            replicas.close();
            throw e;
        }
    }

    String url(int replica) {
        return "http://localhost:" + ports.get(replica);
    }

    int count() {
        return ports.size();
    }

    /** The replicas' environment for a schema of the PostgreSQL test server (the runner built for PostgreSQL). */
    static Map<String, String> postgresEnvironment(PostgresSchema schema) {
        return Map.of("INGEST_DB_KIND", "postgresql", "INGEST_DB_URL", schema.jdbcUrl(),
                "INGEST_DB_USER", schema.user(), "INGEST_DB_PASSWORD", schema.password(),
                "QUARKUS_FLYWAY_SCHEMAS", schema.name());
    }

    /** CPU seconds used so far by all replicas together. */
    double cpuSeconds() {
        return processes.stream().mapToLong(process -> process.cpuTime().toNanos()).sum() / 1e9;
    }

    /** SIGKILL: no shutdown hook, no rollback sent, connections just drop. */
    void kill(int replica) {
        processes.get(replica).kill();
    }

    void restart(int replica) {
        launch(replica);
        awaitReady(replica);
    }

    private void launch(int replica) {
        processes.set(replica, ServiceProcess.start("ingest-" + replica, runner, ports.get(replica), environment,
                Map.of(), logs));
    }

    private void awaitReady(int replica) {
        try {
            processes.get(replica).awaitReady(Duration.ofMinutes(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        processes.stream().filter(process -> process != null).forEach(ServiceProcess::close);
    }
}
