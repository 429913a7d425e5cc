package dev.dimmer.server.metrics;

import dev.dimmer.server.stats.Aggregation;
import dev.dimmer.server.stats.Direction;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Versions of metric definitions, and what happened to the metrics of each started experiment after its start
 * (docs/statistics.md "Metric versions: decided before the start means fixed").
 *
 * <p>An experiment is a flag in an environment; it has <b>started</b> once the flag has exposure there (a row of
 * {@code exposures}). A metric is <b>in play</b> for it when it is one of the flag's success metrics (attached, not
 * archived, not a guardrail) or a guardrail of the project (not archived): the metrics its report analyses.
 */
@Component
public class MetricHistory {

    /** What happened to a metric of a started experiment. */
    public enum Change {
        /** Its definition got a new version. */
        REDEFINED,
        /** It left the experiment: detached from the flag, archived, or no longer a guardrail. */
        REMOVED
    }

    /**
     * One change of a metric after the experiment's start.
     *
     * @param from the version the metric had just before the change
     * @param to the new version (REDEFINED), else null
     * @param reason why a metric was removed, else null
     */
    public record ExperimentChange(
            long id,
            long metricId,
            String metricKey,
            String metricName,
            Change change,
            MetricVersion from,
            MetricVersion to,
            String reason,
            Instant changedAt,
            String changedBy) {}

    /** A started experiment a metric is in play for, and whether the metric is attached to its flag. */
    record Started(long environmentId, long flagId, boolean attached) {}

    private final JdbcTemplate jdbc;

    MetricHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every version of a metric, oldest first. */
    List<MetricVersion> versions(long metricId) {
        return jdbc.query(
                "SELECT * FROM metric_versions WHERE metric_id = ? ORDER BY version", MetricHistory::version, metricId);
    }

    /** The metric's current definition as its first version (a new metric). */
    void created(Metric metric, String by) {
        insert(metric, by);
    }

    /** The current version's row rewritten: an edit before any experiment using the metric started. */
    void editedInPlace(Metric metric, String by) {
        int updated = jdbc.update(
                "UPDATE metric_versions SET event_type = ?, aggregation = ?, direction = ?, guardrail = ?, margin = ?,"
                        + " cuped = ?, defined_at = ?, defined_by = ? WHERE metric_id = ? AND version = ?",
                metric.getEventType(),
                metric.getAggregation().name(),
                metric.getDirection().name(),
                metric.isGuardrail(),
                metric.getMargin(),
                metric.isCuped(),
                Timestamp.from(metric.getUpdatedAt()),
                by,
                metric.getId(),
                metric.getDefinitionVersion());
        if (updated == 0) {
            insert(metric, by); // a metric without its version row (cannot happen after V91; harmless if it does)
        }
    }

    /** The metric's current definition as a new version (the metric already carries its new number). */
    void redefined(Metric metric, String by) {
        insert(metric, by);
    }

    private void insert(Metric metric, String by) {
        jdbc.update(
                "INSERT INTO metric_versions (metric_id, version, event_type, aggregation, direction, guardrail, margin,"
                        + " cuped, defined_at, defined_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                metric.getId(),
                metric.getDefinitionVersion(),
                metric.getEventType(),
                metric.getAggregation().name(),
                metric.getDirection().name(),
                metric.isGuardrail(),
                metric.getMargin(),
                metric.isCuped(),
                Timestamp.from(metric.getUpdatedAt()),
                by);
    }

    /**
     * The started experiments the metric is in play for (see the class comment), as the metric is now: every
     * flag of the project with exposure somewhere for a guardrail, the flags it is attached to otherwise. One probe of
     * the exposures' primary key per flag and environment.
     */
    List<Started> startedExperimentsUsing(Metric metric) {
        if (metric.isArchived()) {
            return List.of();
        }
        return jdbc.query(
                """
                SELECT e.id, f.id, fsm.metric_id IS NOT NULL
                FROM flags f
                JOIN environments e ON e.project_id = f.project_id
                LEFT JOIN flag_success_metrics fsm ON fsm.flag_id = f.id AND fsm.metric_id = ?
                WHERE f.project_id = ? AND (? OR fsm.metric_id IS NOT NULL)
                  AND EXISTS (SELECT 1 FROM exposures x WHERE x.environment_id = e.id AND x.flag = f.key)
                ORDER BY e.id, f.id
                """,
                (rs, i) -> new Started(rs.getLong(1), rs.getLong(2), rs.getBoolean(3)),
                metric.getId(),
                metric.getProjectId(),
                metric.isGuardrail());
    }

    /** The environments (ids) in which the flag has started. */
    List<Long> environmentsStarted(long flagId) {
        return jdbc.queryForList("""
                SELECT e.id FROM flags f JOIN environments e ON e.project_id = f.project_id
                WHERE f.id = ? AND EXISTS (SELECT 1 FROM exposures x WHERE x.environment_id = e.id AND x.flag = f.key)
                ORDER BY e.id
                """, Long.class, flagId);
    }

    void record(
            long environmentId,
            long flagId,
            Metric metric,
            Change change,
            int fromVersion,
            Integer toVersion,
            String reason,
            Instant at,
            String by) {
        jdbc.update(
                "INSERT INTO experiment_metric_changes (environment_id, flag_id, metric_id, change, from_version,"
                        + " to_version, reason, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                environmentId,
                flagId,
                metric.getId(),
                change.name(),
                fromVersion,
                toVersion,
                reason,
                Timestamp.from(at),
                by);
    }

    /** What happened to the metrics of a started experiment after its start, oldest first. */
    public List<ExperimentChange> changes(long environmentId, long flagId) {
        List<Object[]> rows = jdbc.query(
                """
                SELECT c.id, c.metric_id, m.key, m.name, c.change, c.from_version, c.to_version, c.reason, c.changed_at,
                       c.changed_by
                FROM experiment_metric_changes c JOIN metrics m ON m.id = c.metric_id
                WHERE c.environment_id = ? AND c.flag_id = ?
                ORDER BY c.id
                """,
                (rs, i) -> new Object[] {
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    rs.getInt(6),
                    (Integer) rs.getObject(7),
                    rs.getString(8),
                    rs.getTimestamp(9).toInstant(),
                    rs.getString(10)
                },
                environmentId,
                flagId);
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, Map<Integer, MetricVersion>> versions = new HashMap<>();
        return rows.stream()
                .map(r -> {
                    long metricId = (Long) r[1];
                    Map<Integer, MetricVersion> of = versions.computeIfAbsent(metricId, id -> byNumber(versions(id)));
                    return new ExperimentChange(
                            (Long) r[0],
                            metricId,
                            (String) r[2],
                            (String) r[3],
                            Change.valueOf((String) r[4]),
                            of.get((Integer) r[5]),
                            r[6] == null ? null : of.get((Integer) r[6]),
                            (String) r[7],
                            (Instant) r[8],
                            (String) r[9]);
                })
                .toList();
    }

    /** The version of a metric's definition with this number, if it exists. */
    public Optional<MetricVersion> version(long metricId, int version) {
        return jdbc
                .query(
                        "SELECT * FROM metric_versions WHERE metric_id = ? AND version = ?",
                        MetricHistory::version,
                        metricId,
                        version)
                .stream()
                .findFirst();
    }

    /**
     * Forgets what happened to the metrics of an experiment whose exposures are gone (retention): a later exposure
     * starts a new experiment, with the metrics as they are then. Its stored reports keep the list they showed.
     *
     * @return the number of changes forgotten
     */
    public int forget(long environmentId, long flagId) {
        return jdbc.update(
                "DELETE FROM experiment_metric_changes WHERE environment_id = ? AND flag_id = ?",
                environmentId,
                flagId);
    }

    private static Map<Integer, MetricVersion> byNumber(List<MetricVersion> versions) {
        Map<Integer, MetricVersion> map = new HashMap<>();
        versions.forEach(v -> map.put(v.version(), v));
        return map;
    }

    private static MetricVersion version(ResultSet rs, int row) throws SQLException {
        return new MetricVersion(
                rs.getInt("version"),
                rs.getString("event_type"),
                Aggregation.valueOf(rs.getString("aggregation")),
                Direction.valueOf(rs.getString("direction")),
                rs.getBoolean("guardrail"),
                rs.getDouble("margin"),
                rs.getBoolean("cuped"),
                rs.getTimestamp("defined_at").toInstant(),
                rs.getString("defined_by"));
    }
}
