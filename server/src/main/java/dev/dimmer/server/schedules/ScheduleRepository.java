package dev.dimmer.server.schedules;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Scheduled changes in PostgreSQL. A due change is claimed with {@code FOR UPDATE SKIP LOCKED} ({@link #claimDue}):
 * of several replicas exactly one runs it, and a replica that crashes mid-run releases the row with its connection.
 */
@Repository
class ScheduleRepository {

    private static final String SELECT = "SELECT s.id, s.flag_id, s.environment_id, pr.key AS project_key,"
            + " e.key AS environment_key, f.key AS flag_key, f.owner_team, s.run_at, s.action, s.payload::text,"
            + " s.base_version, s.status, s.comment, s.created_by, s.created_at, s.finished_at, s.finished_by,"
            + " s.outcome, s.applied_version FROM scheduled_changes s JOIN flags f ON f.id = s.flag_id"
            + " JOIN environments e ON e.id = s.environment_id JOIN projects pr ON pr.id = f.project_id";

    private final JdbcTemplate jdbc;

    ScheduleRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long insert(
            long flagId,
            long environmentId,
            Instant runAt,
            ScheduleAction action,
            String payload,
            long baseVersion,
            String comment,
            String createdBy,
            Instant now) {
        return jdbc.queryForObject(
                "INSERT INTO scheduled_changes (flag_id, environment_id, run_at, action, payload, base_version, status,"
                        + " comment, created_by, created_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, 'PENDING', ?, ?, ?)"
                        + " RETURNING id",
                Long.class,
                flagId,
                environmentId,
                at(runAt),
                action.name(),
                payload,
                baseVersion,
                comment,
                createdBy,
                at(now));
    }

    Optional<ScheduledChange> find(long id) {
        return jdbc.query(SELECT + " WHERE s.id = ?", this::map, id).stream().findFirst();
    }

    /** The change, its row locked until the transaction ends (waits for a run in progress). */
    Optional<ScheduledChange> lock(long id) {
        return jdbc.query(SELECT + " WHERE s.id = ? FOR UPDATE OF s", this::map, id).stream()
                .findFirst();
    }

    /** The earliest pending change due at {@code now} that no other replica holds, its row locked. */
    Optional<ScheduledChange> claimDue(Instant now) {
        return jdbc
                .query(
                        SELECT + " WHERE s.status = 'PENDING' AND s.run_at <= ? ORDER BY s.run_at, s.id LIMIT 1"
                                + " FOR UPDATE OF s SKIP LOCKED",
                        this::map,
                        at(now))
                .stream()
                .findFirst();
    }

    /** The pending change {@code id} if no other replica holds it, its row locked. */
    Optional<ScheduledChange> claim(long id) {
        return jdbc
                .query(SELECT + " WHERE s.id = ? AND s.status = 'PENDING' FOR UPDATE OF s SKIP LOCKED", this::map, id)
                .stream()
                .findFirst();
    }

    /** Changes of a project, newest run time first, filtered by whichever of the arguments is not null. */
    List<ScheduledChange> list(long projectId, Long environmentId, Long flagId, ScheduleStatus status, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append(" WHERE f.project_id = ?");
        List<Object> args = new ArrayList<>(List.of(projectId));
        if (environmentId != null) {
            sql.append(" AND s.environment_id = ?");
            args.add(environmentId);
        }
        if (flagId != null) {
            sql.append(" AND s.flag_id = ?");
            args.add(flagId);
        }
        if (status != null) {
            sql.append(" AND s.status = ?");
            args.add(status.name());
        }
        sql.append(" ORDER BY s.run_at DESC, s.id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), this::map, args.toArray());
    }

    void finish(long id, ScheduleStatus status, String by, String outcome, Long appliedVersion, Instant now) {
        jdbc.update(
                "UPDATE scheduled_changes SET status = ?, finished_at = ?, finished_by = ?, outcome = ?,"
                        + " applied_version = ? WHERE id = ?",
                status.name(),
                at(now),
                by,
                outcome,
                appliedVersion,
                id);
    }

    /**
     * After {@code applied} moved the configuration from {@code from} to {@code to}: the flag's pending changes made
     * after it against {@code from} were written knowing it would run first, so they now count from {@code to}.
     */
    int rebase(ScheduledChange applied, long from, long to) {
        return jdbc.update(
                "UPDATE scheduled_changes SET base_version = ? WHERE flag_id = ? AND environment_id = ?"
                        + " AND status = 'PENDING' AND base_version = ? AND id > ?",
                to,
                applied.flagId(),
                applied.environmentId(),
                from,
                applied.id());
    }

    private ScheduledChange map(ResultSet rs, int row) throws SQLException {
        return new ScheduledChange(
                rs.getLong("id"),
                rs.getLong("flag_id"),
                rs.getLong("environment_id"),
                rs.getString("project_key"),
                rs.getString("environment_key"),
                rs.getString("flag_key"),
                rs.getString("owner_team"),
                instant(rs.getTimestamp("run_at")),
                ScheduleAction.valueOf(rs.getString("action")),
                rs.getString("payload"),
                rs.getLong("base_version"),
                ScheduleStatus.valueOf(rs.getString("status")),
                rs.getString("comment"),
                rs.getString("created_by"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("finished_at")),
                rs.getString("finished_by"),
                rs.getString("outcome"),
                rs.getObject("applied_version", Long.class));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
