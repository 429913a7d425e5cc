package dev.dimmer.server.alerts;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The newest impression of each flag in each environment, kept in {@code flag_traffic}. Impressions have only a BRIN
 * index on time (ingestion stays lean), so rather than asking "any impression of this flag lately?" per flag, one scan
 * per cycle reads the impressions newer than the previous scan (minus an overlap for SDK clocks and flush delays) and
 * folds their newest time per flag into the table.
 */
@Component
class FlagTraffic {

    /** Since when impressions are tracked, and where the last scan ended. */
    record Scan(Instant startedAt, Instant scannedTo) {}

    private final JdbcTemplate jdbc;
    private final AlertSettings settings;

    FlagTraffic(JdbcTemplate jdbc, AlertSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** Folds the impressions that arrived since the previous scan into {@code flag_traffic}. */
    @Transactional
    Scan scan() {
        Instant now = jdbc.queryForObject("SELECT now()", Timestamp.class).toInstant();
        Optional<Scan> previous = jdbc
                .query(
                        "SELECT started_at, scanned_to FROM flag_traffic_scans WHERE id = 1 FOR UPDATE",
                        (rs, i) -> new Scan(
                                rs.getTimestamp(1).toInstant(),
                                rs.getTimestamp(2).toInstant()))
                .stream()
                .findFirst();
        // The first scan looks back one no-traffic period: enough to tell a silent flag from a busy one.
        Instant since = previous.map(p -> p.scannedTo().minus(settings.trafficScanOverlap()))
                .orElse(now.minus(settings.noTrafficAfter()));
        jdbc.update(
                "INSERT INTO flag_traffic (environment_id, flag, last_impression_at)"
                        + " SELECT environment_id, flag, max(time) FROM impressions WHERE time > ?"
                        + " GROUP BY environment_id, flag"
                        + " ON CONFLICT (environment_id, flag) DO UPDATE SET last_impression_at ="
                        + " GREATEST(flag_traffic.last_impression_at, EXCLUDED.last_impression_at)",
                Timestamp.from(since));
        Instant startedAt = previous.map(Scan::startedAt).orElse(now);
        jdbc.update(
                "INSERT INTO flag_traffic_scans (id, started_at, scanned_to) VALUES (1, ?, ?)"
                        + " ON CONFLICT (id) DO UPDATE SET scanned_to = EXCLUDED.scanned_to",
                Timestamp.from(startedAt),
                Timestamp.from(now));
        return new Scan(startedAt, now);
    }

    /** The newest impression of every flag with one, by (environment id, flag key). */
    Map<Key, Instant> lastImpressions() {
        Map<Key, Instant> last = new HashMap<>();
        jdbc.query("SELECT environment_id, flag, last_impression_at FROM flag_traffic", rs -> {
            last.put(new Key(rs.getLong(1), rs.getString(2)), rs.getTimestamp(3).toInstant());
        });
        return last;
    }

    record Key(long environmentId, String flag) {}
}
