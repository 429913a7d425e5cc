package dev.dimmer.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Counts what PostgreSQL holds, read directly (not through the server under test). */
final class Rows {

    private Rows() {}

    /** Events of the project's {@code environment}. */
    static long events(String jdbcUrl, String user, String password, String project, String environment) {
        return count(
                jdbcUrl,
                user,
                password,
                "SELECT count(*) FROM events WHERE environment_id = " + ENVIRONMENT_ID,
                project,
                environment);
    }

    /** Impressions of the project's {@code environment}. */
    static long impressions(String jdbcUrl, String user, String password, String project, String environment) {
        return count(
                jdbcUrl,
                user,
                password,
                "SELECT count(*) FROM impressions WHERE environment_id = " + ENVIRONMENT_ID,
                project,
                environment);
    }

    private static final String ENVIRONMENT_ID =
            "(SELECT e.id FROM environments e JOIN projects p ON p.id = e.project_id WHERE p.key = ? AND e.key = ?)";

    static long count(String jdbcUrl, String user, String password, String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
