package dev.dimmer.server.analysis;

import dev.dimmer.server.ingest.DroppedEventsListener;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deletes the stored per-user partials of a flag ({@code analysis_state}, {@code analysis_state_arms},
 * {@code analysis_users}; {@link AnalysisQuery}), so its next analysis is a full recompute from the data that exists:
 * when the event partitions they were built from are dropped ({@link DroppedEventsListener}), and for the retention job.
 *
 * <p>{@code analysis_state} is deleted first: that waits for a computation in progress (it holds the table in SHARE ROW
 * EXCLUSIVE mode) and keeps the next one waiting until this transaction ends, which then finds no state.
 */
@Component
class AnalysisState implements DroppedEventsListener {

    private static final Logger log = LoggerFactory.getLogger(AnalysisState.class);

    /** What was deleted: flags (environment × flag) and per-user rows. */
    record Deleted(int flags, long users) {}

    /** Deletes the state of every flag built from events before {@code before}, in the maintenance transaction. */
    @Override
    public void eventsDropping(Connection c, Instant before) throws SQLException {
        List<long[]> flags = new ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement("DELETE FROM analysis_state WHERE events_from IS NULL OR events_from < ?"
                        + " RETURNING environment_id, flag_id")) {
            s.setTimestamp(1, Timestamp.from(before));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    flags.add(new long[] {r.getLong(1), r.getLong(2)});
                }
            }
        }
        Deleted deleted = deleteRows(c, flags);
        if (deleted.flags() > 0) {
            log.info(
                    "events before {} are being dropped: the per-user analysis state of {} flag(s) built from them is"
                            + " deleted ({} user rows); their next analysis recomputes it in full",
                    before,
                    deleted.flags(),
                    deleted.users());
        }
    }

    /** Deletes the state of these flags ([environment id, flag id]) in the connection's transaction. */
    static Deleted delete(Connection c, List<long[]> flags) throws SQLException {
        if (flags.isEmpty()) {
            return new Deleted(0, 0);
        }
        int states;
        try (PreparedStatement s = c.prepareStatement(
                "DELETE FROM analysis_state WHERE (environment_id, flag_id) IN (SELECT * FROM unnest(?::bigint[],"
                        + " ?::bigint[]))")) {
            bind(c, s, flags);
            states = s.executeUpdate();
        }
        return new Deleted(states, deleteRows(c, flags).users());
    }

    /** The arms and per-user rows of these flags (their {@code analysis_state} row is already deleted). */
    private static Deleted deleteRows(Connection c, List<long[]> flags) throws SQLException {
        if (flags.isEmpty()) {
            return new Deleted(0, 0);
        }
        long users;
        try (PreparedStatement s =
                c.prepareStatement("DELETE FROM analysis_state_arms WHERE (environment_id, flag_id) IN (SELECT * FROM"
                        + " unnest(?::bigint[], ?::bigint[]))")) {
            bind(c, s, flags);
            s.executeUpdate();
        }
        try (PreparedStatement s =
                c.prepareStatement("DELETE FROM analysis_users WHERE (environment_id, flag_id) IN (SELECT * FROM"
                        + " unnest(?::bigint[], ?::bigint[]))")) {
            bind(c, s, flags);
            users = s.executeUpdate();
        }
        return new Deleted(flags.size(), users);
    }

    private static void bind(Connection c, PreparedStatement s, List<long[]> flags) throws SQLException {
        s.setArray(1, c.createArrayOf("bigint", flags.stream().map(f -> f[0]).toArray(Long[]::new)));
        s.setArray(2, c.createArrayOf("bigint", flags.stream().map(f -> f[1]).toArray(Long[]::new)));
    }
}
