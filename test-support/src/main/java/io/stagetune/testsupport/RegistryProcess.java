package io.stagetune.testsupport;

import io.stagetune.localstack.infrastructure.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

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

    /** The test PostgreSQL server: {@code REGISTRY_TEST_PG_URL}, {@code _USER}, {@code _PASSWORD}, as the registry's own tests. */
    static final String PG_URL = env("REGISTRY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = env("REGISTRY_TEST_PG_USER", "postgres");
    static final String PG_PASSWORD = env("REGISTRY_TEST_PG_PASSWORD", "");

    public enum Database { H2, POSTGRESQL }

    private final Path runner;
    private final int port;
    private final Map<String, String> environment;
    private final Path logs;
    private final String schema;
    private ServiceProcess process;

    private RegistryProcess(Path runner, int port, Map<String, String> environment, Path logs, String schema) {
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
            String schema = null;
            if (database == Database.POSTGRESQL) {
                runner = repository.resolve("model-registry/target/quarkus-app-postgresql/quarkus-run.jar");
                schema = "registry_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
                environment.putAll(Map.of("REGISTRY_DB_KIND", "postgresql",
                        "REGISTRY_DB_URL", PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                        "REGISTRY_DB_USER", PG_USER, "REGISTRY_DB_PASSWORD", PG_PASSWORD,
                        "QUARKUS_FLYWAY_SCHEMAS", schema));
            } else {
                runner = ServiceProcess.runner(repository, "model-registry");
                environment.put("REGISTRY_DATA_DIR", data.resolve("db").toString());
            }
            RegistryProcess registry = new RegistryProcess(runner, freePort(), Map.copyOf(environment),
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
        try (Connection ignored = connect()) {
            return Optional.empty();
        } catch (SQLException | NoClassDefFoundError e) {
            return Optional.of("cannot connect to " + PG_URL + " as " + PG_USER + ": " + e.getMessage());
        }
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
        if (schema == null) {
            return;
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            System.err.println("[WARNING] could not drop test schema " + schema + ": " + e.getMessage());
        }
    }

    private static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", PG_USER);
        properties.setProperty("password", PG_PASSWORD);
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("loginTimeout", "3");
        // The driver directly, not DriverManager: under a Quarkus test class loader DriverManager finds no driver.
        Connection connection = new org.postgresql.Driver().connect(PG_URL, properties);
        if (connection == null) {
            throw new SQLException(PG_URL + " is not a PostgreSQL JDBC URL");
        }
        return connection;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
