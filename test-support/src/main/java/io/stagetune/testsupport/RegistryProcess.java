package io.stagetune.testsupport;

import io.stagetune.localstack.infrastructure.FreePorts;
import io.stagetune.localstack.infrastructure.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry as its own process, for other services' end-to-end tests: its packaged build on H2 in a
 * temporary folder ({@code model-registry/target/quarkus-app}), or its PostgreSQL build
 * ({@code model-registry/target/quarkus-app-postgresql}) on a fresh schema of the test server, dropped on close.
 * It can be stopped and started again on the same port and data, to test how clients wait out an outage. The
 * tokens are the test tokens of its three roles.
 */
public final class RegistryProcess implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String EVALUATOR_TOKEN = "test-evaluator-token";
    public static final String TRAINER_TOKEN = "test-trainer-token";

    public enum Database { H2, POSTGRESQL }

    private final Path runner;
    private final int port;
    private final Map<String, String> environment;
    private final Path logs;
    private final PostgresSchema schema;
    private ServiceProcess process;

    private RegistryProcess(Path runner, int port, Map<String, String> environment, Path logs,
                            PostgresSchema schema) {
        this.runner = runner;
        this.port = port;
        this.environment = environment;
        this.logs = logs;
        this.schema = schema;
    }

    /**
     * Starts the registry and waits until it is ready.
     *
     * @param repository the repository root, where {@code model-registry/target} is
     */
    public static RegistryProcess start(Path repository, Database database, String kafkaBootstrapServers) {
        try {
            Path data = Files.createTempDirectory("registry-");
            Map<String, String> environment = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers,
                    "ADMIN_TOKEN", ADMIN_TOKEN, "REGISTRY_EVALUATOR_TOKEN", EVALUATOR_TOKEN,
                    "REGISTRY_TRAINER_TOKEN", TRAINER_TOKEN, "REGISTRY_OUTBOX_RELAY_EVERY", "200ms"));
            Path runner;
            PostgresSchema schema = null;
            if (database == Database.POSTGRESQL) {
                runner = repository.resolve("model-registry/target/quarkus-app-postgresql/quarkus-run.jar");
                schema = PostgresSchema.named("registry_e2e");
                environment.putAll(Map.of("REGISTRY_DB_KIND", "postgresql", "REGISTRY_DB_URL", schema.jdbcUrl(),
                        "REGISTRY_DB_USER", schema.user(), "REGISTRY_DB_PASSWORD", schema.password(),
                        "QUARKUS_FLYWAY_SCHEMAS", schema.name()));
            } else {
                runner = ServiceProcess.runner(repository, "model-registry");
                environment.put("REGISTRY_DATA_DIR", data.resolve("db").toString());
            }
            RegistryProcess registry = new RegistryProcess(runner, FreePorts.pick(), Map.copyOf(environment),
                    data.resolve("logs"), schema);
            registry.startAgain();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why the PostgreSQL registry cannot run here (no server accepting a connection, or the PostgreSQL build is
     * missing), or empty when it can.
     */
    public static Optional<String> postgresUnavailable(Path repository) {
        Path runner = repository.resolve("model-registry/target/quarkus-app-postgresql/quarkus-run.jar");
        if (!Files.isRegularFile(runner)) {
            return Optional.of("the registry's PostgreSQL build " + runner + " is missing (./mvnw package)");
        }
        return PostgresSchema.unavailable();
    }

    public String url() {
        return "http://localhost:" + port;
    }

    /** Stops the process; the database stays for {@link #startAgain()}. */
    public void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** Starts the registry (again) on the same port and database, and waits until it is ready. */
    public void startAgain() {
        process = ServiceProcess.start("model-registry", runner, port, environment, Map.of(), logs);
        try {
            process.awaitReady(Duration.ofMinutes(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the registry and drops its PostgreSQL schema. */
    @Override
    public void close() {
        stop();
        if (schema != null) {
            schema.close();
        }
    }
}
