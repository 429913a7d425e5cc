package dev.dimmer.server.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps one partition per UTC day of {@code impressions} and {@code events}: from {@code today − partitionsBehind}
 * (every time ingestion accepts has a partition) to {@code today + partitionsAhead}, and drops the partitions that
 * lie wholly before {@code today − retentionDays}. Dropping a partition is instant and leaves no dead rows, which is
 * why the hot tables are partitioned at all.
 *
 * <p>Runs at start-up and every hour, on one replica at a time: the job takes the transaction-scoped advisory lock
 * {@link #LOCK} with {@code pg_try_advisory_xact_lock} and does nothing when another replica holds it. Ingestion
 * calls {@link #ensureDays} when a row finds no partition (a replica that started before midnight and whose job has
 * not run yet); that path waits for the lock instead, since it needs the partition.
 *
 * <p>Before dropping {@code events} partitions it tells every {@link DroppedEventsListener}, in the same transaction,
 * so that data derived from the dropped events (the analysis's per-user partials) never outlives them.
 *
 * <p>Public for the tests of other features that drop partitions (the analysis's retention tests).
 */
@Component
public class PartitionMaintenance {

    /** Advisory lock id of this job ("DIMMERPT" in ASCII). */
    static final long LOCK = 0x44494d4d45525054L;

    static final List<String> TABLES = List.of("impressions", "events");

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern PARTITION = Pattern.compile("(impressions|events)_p(\\d{8})");

    private final DataSource dataSource;
    private final IngestProperties properties;
    private final Clock clock;
    private final ObjectProvider<DroppedEventsListener> listeners;

    PartitionMaintenance(
            DataSource dataSource,
            IngestProperties properties,
            Clock clock,
            ObjectProvider<DroppedEventsListener> listeners) {
        this.dataSource = dataSource;
        this.properties = properties;
        this.clock = clock;
        this.listeners = listeners;
    }

    /** What one run did. */
    public record Outcome(boolean ran, List<String> created, List<String> dropped) {}

    @EventListener(ApplicationReadyEvent.class)
    void atStartup() {
        runScheduled();
    }

    @Scheduled(
            initialDelayString = "${dimmer.ingest.maintenance-interval:PT1H}",
            fixedDelayString = "${dimmer.ingest.maintenance-interval:PT1H}")
    void runScheduled() {
        try {
            Outcome outcome = run(LocalDate.now(clock.withZone(ZoneOffset.UTC)), properties.retentionDays());
            if (!outcome.created().isEmpty() || !outcome.dropped().isEmpty()) {
                log.info("partitions created {} dropped {}", outcome.created(), outcome.dropped());
            }
        } catch (SQLException | RuntimeException e) {
            log.error("partition maintenance failed; will retry at the next run", e);
        }
    }

    /** One maintenance pass as of {@code today} with the given retention; skipped if another replica runs it. */
    public Outcome run(LocalDate today, int retentionDays) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!tryLock(c)) {
                    c.rollback();
                    return new Outcome(false, List.of(), List.of());
                }
                LocalDate cutoff = today.minusDays(retentionDays);
                List<String> dropped = dropBefore(c, cutoff);
                LocalDate first = today.minusDays(Math.min(retentionDays, properties.partitionsBehind()));
                List<String> created = create(c, first, today.plusDays(properties.partitionsAhead()));
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM ingest_batches WHERE received_at < now() - make_interval(days => "
                            + retentionDays + ")");
                }
                c.commit();
                return new Outcome(true, created, dropped);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Creates the partitions of the days {@code from..to} (inclusive) that are missing, waiting for the lock. */
    void ensureDays(LocalDate from, LocalDate to) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                    s.setLong(1, LOCK);
                    s.execute();
                }
                List<String> created = create(c, from, to);
                c.commit();
                if (!created.isEmpty()) {
                    log.info("partitions created on demand {}", created);
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Partitions of {@code table} as their days, oldest first. */
    List<LocalDate> days(String table) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return existing(c, table);
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            s.setLong(1, LOCK);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static List<String> create(Connection c, LocalDate from, LocalDate to) throws SQLException {
        List<String> created = new ArrayList<>();
        for (String table : TABLES) {
            List<LocalDate> existing = existing(c, table);
            for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
                if (existing.contains(day)) {
                    continue;
                }
                String name = table + "_p" + day.format(SUFFIX);
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE TABLE " + name + " PARTITION OF " + table + " FOR VALUES FROM ('" + day
                            + "T00:00:00Z') TO ('" + day.plusDays(1) + "T00:00:00Z')");
                }
                created.add(name);
            }
        }
        return created;
    }

    private List<String> dropBefore(Connection c, LocalDate cutoff) throws SQLException {
        List<String> dropped = new ArrayList<>();
        LocalDate newestDroppedEvents = null;
        for (LocalDate day : existing(c, "events")) {
            if (!day.plusDays(1).isAfter(cutoff)) {
                newestDroppedEvents = day;
            }
        }
        if (newestDroppedEvents != null) {
            Instant before =
                    newestDroppedEvents.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            for (DroppedEventsListener listener : listeners.orderedStream().toList()) {
                listener.eventsDropping(c, before);
            }
        }
        for (String table : TABLES) {
            for (LocalDate day : existing(c, table)) {
                // day covers [day, day + 1): drop it when all of it is older than the cutoff
                if (!day.plusDays(1).isAfter(cutoff)) {
                    String name = table + "_p" + day.format(SUFFIX);
                    try (Statement s = c.createStatement()) {
                        s.execute("DROP TABLE " + name);
                    }
                    dropped.add(name);
                }
            }
        }
        return dropped;
    }

    private static List<LocalDate> existing(Connection c, String table) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT child.relname FROM pg_inherits i JOIN pg_class child ON child.oid = i.inhrelid"
                        + " JOIN pg_class parent ON parent.oid = i.inhparent"
                        + " WHERE parent.relname = ? AND parent.relnamespace = to_regnamespace(current_schema())")) {
            s.setString(1, table);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Matcher m = PARTITION.matcher(r.getString(1));
                    if (m.matches()) {
                        days.add(LocalDate.parse(m.group(2), SUFFIX));
                    }
                }
            }
        }
        days.sort(null);
        return days;
    }
}
