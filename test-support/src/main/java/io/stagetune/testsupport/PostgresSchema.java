package io.stagetune.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh schema on the test PostgreSQL server ({@code REGISTRY_TEST_PG_URL}, {@code _USER}, {@code _PASSWORD};
 * default {@code jdbc:postgresql://127.0.0.1:5432/test} as {@code postgres}) for a service process under test, which
 * creates it through Flyway ({@code QUARKUS_FLYWAY_SCHEMAS}); dropped on close.
 */
public final class PostgresSchema implements AutoCloseable {

    static final String PG_URL = env("REGISTRY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = env("REGISTRY_TEST_PG_USER", "postgres");
    static final String PG_PASSWORD = env("REGISTRY_TEST_PG_PASSWORD", "");

    private final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    /** A new, unique schema name with the prefix; nothing is created until a service migrates it. */
    public static PostgresSchema named(String prefix) {
        return new PostgresSchema(prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    /** Why the test server cannot be used (no server accepting a connection), or empty when it can. */
    public static Optional<String> unavailable() {
        try (Connection ignored = connect()) {
            return Optional.empty();
        } catch (SQLException | NoClassDefFoundError e) {
            return Optional.of("cannot connect to " + PG_URL + " as " + PG_USER + ": " + e.getMessage());
        }
    }

    public String name() {
        return name;
    }

    /** The server's URL with this schema as the current one. */
    public String jdbcUrl() {
        return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    public String user() {
        return PG_USER;
    }

    public String password() {
        return PG_PASSWORD;
    }

    /** Drops the schema and everything in it. */
    @Override
    public void close() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("drop schema if exists " + name + " cascade");
        } catch (SQLException e) {
            System.err.println("[WARNING] could not drop test schema " + name + ": " + e.getMessage());
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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
