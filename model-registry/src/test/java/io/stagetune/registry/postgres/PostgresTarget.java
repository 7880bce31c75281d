package io.stagetune.registry.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The PostgreSQL server the registry's tests use when it is reachable: {@code REGISTRY_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}), {@code REGISTRY_TEST_PG_USER} (default postgres) and
 * {@code REGISTRY_TEST_PG_PASSWORD} (default empty, for trust authentication).
 */
final class PostgresTarget {

    static final String URL = env("REGISTRY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("REGISTRY_TEST_PG_USER", "postgres");
    static final String PASSWORD = env("REGISTRY_TEST_PG_PASSWORD", "");

    private PostgresTarget() {
    }

    static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        properties.setProperty("connectTimeout", "3");
        properties.setProperty("loginTimeout", "3");
        return new org.postgresql.Driver().connect(URL, properties);
    }

    static String urlWithSchema(String schema) {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
