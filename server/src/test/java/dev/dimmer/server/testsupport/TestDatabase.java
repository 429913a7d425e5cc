package dev.dimmer.server.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A freshly created PostgreSQL database for one Spring test context, so runs never see each
 * other's data. Uses Testcontainers where a Docker engine answers; otherwise creates a database on
 * the server named by {@code DIMMER_TEST_DB_URL} (default the local one) and drops it when the JVM
 * exits.
 */
public record TestDatabase(String jdbcUrl, String username, String password) {

    private static final String DEFAULT_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    public static TestDatabase create() {
        if (dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        return createOnLocalServer();
    }

    private static boolean dockerAvailable() {
        if (Boolean.getBoolean("dimmer.test.noDocker")) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static TestDatabase createOnLocalServer() {
        String adminUrl = envOr("DIMMER_TEST_DB_URL", DEFAULT_ADMIN_URL);
        String user = envOr("DIMMER_TEST_DB_USER", "postgres");
        String password = envOr("DIMMER_TEST_DB_PASSWORD", "");
        String name = "dimmer_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
        execute(adminUrl, user, password, "CREATE DATABASE " + name);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> {
                    try {
                        execute(adminUrl, user, password, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                    } catch (RuntimeException ignored) {
                        // best effort: a leftover test database is harmless
                    }
                }));
        return new TestDatabase(withDatabase(adminUrl, name), user, password);
    }

    private static String withDatabase(String adminUrl, String database) {
        int slash = adminUrl.lastIndexOf('/');
        int query = adminUrl.indexOf('?', slash);
        return adminUrl.substring(0, slash + 1) + database + (query < 0 ? "" : adminUrl.substring(query));
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection connection = DriverManager.getConnection(url, user, password);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + url
                    + " (set DIMMER_TEST_DB_URL to a PostgreSQL server the tests may create databases on)", e);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
