package dev.dimmer.server.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Told by {@link PartitionMaintenance} that it is about to drop the {@code events} partitions before a cut-off, in the
 * transaction that drops them, so that whatever was derived from those events (the analysis's per-user partials) goes
 * with them, atomically: either both stay or both are gone. Called before the drop, so a listener takes its locks in
 * the order the analysis takes them (its own tables, then events), and no analysis can start from derived data the
 * drop is about to make stale.
 */
public interface DroppedEventsListener {

    /**
     * @param connection the maintenance transaction (do not commit or close it)
     * @param before every event with a time before this instant is about to be dropped
     */
    void eventsDropping(Connection connection, Instant before) throws SQLException;
}
