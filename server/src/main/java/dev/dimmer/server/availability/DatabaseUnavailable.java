package dev.dimmer.server.availability;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether a failure means "PostgreSQL cannot be reached" (rather than a bug or bad input), whatever layer wrapped
 * it: Hikari's acquisition timeout, pgjdbc's connection errors (SQLState class 08, or the server shutting down),
 * Spring's and Hibernate's wrappers of those. Such failures are answered 503 with {@code Retry-After}, never 500.
 */
public final class DatabaseUnavailable {

    /** Connection failures (08xxx) and "the server is going away or not accepting connections" (57P0x). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseUnavailable() {}

    public static boolean isCause(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof DataAccessResourceFailureException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof ConnectException
                    || t.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")) {
                return true;
            }
            // A query failed on a broken connection and the pool closed it; the rollback then fails on the closed
            // connection, and Spring reports the rollback failure in place of the original one.
            if (t instanceof SQLException && "Connection is closed".equals(t.getMessage())) {
                return true;
            }
            if (t.getClass().getName().equals("org.hibernate.TransactionException")
                    && t.getCause() instanceof SQLException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || UNAVAILABLE_STATES.contains(state)) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
