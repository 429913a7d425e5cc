package dev.dimmer.server.availability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Which failures mean "the database cannot be reached" (503) and which stay what they are. */
class DatabaseUnavailableTests {

    @Test
    void recognisesUnreachableDatabaseWhateverWrapsIt() {
        SQLTransientConnectionException poolTimeout = new SQLTransientConnectionException(
                "HikariPool-1 - Connection is not available, request timed out after 2500ms");
        assertThat(DatabaseUnavailable.isCause(poolTimeout)).isTrue();
        assertThat(DatabaseUnavailable.isCause(new CannotGetJdbcConnectionException("no connection", poolTimeout)))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(new CannotCreateTransactionException("no tx", poolTimeout)))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(
                        new PSQLException("An I/O error occurred", PSQLState.CONNECTION_FAILURE)))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException(
                        "wrapped", new SQLException("terminating connection due to administrator command", "57P01"))))
                .isTrue();
        assertThat(DatabaseUnavailable.isCause(new RuntimeException(new ConnectException("Connection refused"))))
                .isTrue();
        // The rollback on the connection the pool already closed replaces the original failure.
        assertThat(DatabaseUnavailable.isCause(new JpaSystemException(new RuntimeException(
                        "Unable to rollback against JDBC Connection", new SQLException("Connection is closed")))))
                .isTrue();
    }

    @Test
    void leavesOtherFailuresAlone() {
        assertThat(DatabaseUnavailable.isCause(new DataIntegrityViolationException(
                        "duplicate", new SQLException("duplicate key value", "23505"))))
                .isFalse();
        assertThat(DatabaseUnavailable.isCause(new SQLException("syntax error", "42601")))
                .isFalse();
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException("a bug")))
                .isFalse();
        assertThat(DatabaseUnavailable.isCause(new SQLException("no state"))).isFalse();
    }
}
