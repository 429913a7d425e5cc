package dev.dimmer.server.notifications;

import static dev.dimmer.server.notifications.TeamRepository.at;
import static dev.dimmer.server.notifications.TeamRepository.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The outbox and its delivery log. A due notification is claimed with {@code FOR UPDATE SKIP LOCKED} and stays locked
 * while it is sent: of several replicas exactly one sends it, and one that crashes mid-send releases it with its
 * connection, so it is sent again later (never lost).
 */
@Repository
class OutboxRepository {

    private final JdbcTemplate jdbc;

    OutboxRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long insert(
            UUID deliveryId,
            long projectId,
            Channel channel,
            String teamKey,
            Notice notice,
            String body,
            int maxAttempts,
            Instant now) {
        return jdbc.queryForObject(
                "INSERT INTO notifications (delivery_id, project_id, channel_id, channel_key, channel_kind, team_key,"
                        + " kind, environment, flag, title, body, status, attempts, max_attempts, next_attempt_at,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?) RETURNING id",
                Long.class,
                deliveryId,
                projectId,
                channel.id(),
                channel.qualifiedKey(),
                channel.kind().name(),
                teamKey,
                notice.kind(),
                notice.environment(),
                notice.flag(),
                notice.title(),
                body,
                maxAttempts,
                at(now),
                at(now));
    }

    /** The earliest due notification no other replica holds, its row locked until the transaction ends. */
    Optional<Notification> claimDue(Instant now) {
        return jdbc
                .query(
                        "SELECT * FROM notifications WHERE status = 'PENDING' AND next_attempt_at <= ?"
                                + " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
                        this::map,
                        at(now))
                .stream()
                .findFirst();
    }

    /** The pending notification {@code id} if no other replica holds it, its row locked. */
    Optional<Notification> claim(long id) {
        return jdbc
                .query(
                        "SELECT * FROM notifications WHERE id = ? AND status = 'PENDING' FOR UPDATE SKIP LOCKED",
                        this::map,
                        id)
                .stream()
                .findFirst();
    }

    /** The notification, its row locked (waits for a send in progress). */
    Optional<Notification> lock(long projectId, long id) {
        return jdbc
                .query(
                        "SELECT * FROM notifications WHERE id = ? AND project_id = ? FOR UPDATE",
                        this::map,
                        id,
                        projectId)
                .stream()
                .findFirst();
    }

    Optional<Notification> find(long projectId, long id) {
        return jdbc
                .query("SELECT * FROM notifications WHERE id = ? AND project_id = ?", this::map, id, projectId)
                .stream()
                .findFirst();
    }

    void recordAttempt(long notificationId, DeliveryAttempt a) {
        jdbc.update(
                "INSERT INTO notification_attempts (notification_id, attempt, attempted_at, status_code, latency_ms,"
                        + " response_body, error, worker) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                notificationId,
                a.attempt(),
                at(a.attemptedAt()),
                a.statusCode(),
                a.latencyMs(),
                a.responseBody(),
                a.error(),
                a.worker());
    }

    void markSent(long id, int attempts, Instant now) {
        jdbc.update(
                "UPDATE notifications SET status = 'SENT', attempts = ?, finished_at = ?, last_error = NULL WHERE id = ?",
                attempts,
                at(now),
                id);
    }

    void retryAt(long id, int attempts, Instant next, String error) {
        jdbc.update(
                "UPDATE notifications SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                attempts,
                at(next),
                error,
                id);
    }

    void markDead(long id, int attempts, Instant now, String error) {
        jdbc.update(
                "UPDATE notifications SET status = 'DEAD', attempts = ?, finished_at = ?, last_error = ? WHERE id = ?",
                attempts,
                at(now),
                error,
                id);
    }

    /** Back to pending with a fresh allowance of attempts; the log keeps the earlier ones. */
    void redeliver(long id, int maxAttempts, Instant now) {
        jdbc.update(
                "UPDATE notifications SET status = 'PENDING', max_attempts = ?, next_attempt_at = ?, finished_at = NULL"
                        + " WHERE id = ?",
                maxAttempts,
                at(now),
                id);
    }

    List<DeliveryAttempt> attempts(long notificationId) {
        return jdbc.query(
                "SELECT * FROM notification_attempts WHERE notification_id = ? ORDER BY attempt, id",
                (rs, row) -> new DeliveryAttempt(
                        rs.getInt("attempt"),
                        instant(rs.getTimestamp("attempted_at")),
                        rs.getObject("status_code", Integer.class),
                        rs.getLong("latency_ms"),
                        rs.getString("response_body"),
                        rs.getString("error"),
                        rs.getString("worker")),
                notificationId);
    }

    /** A project's notifications, newest first, filtered by whichever argument is not null. */
    List<Notification> list(
            long projectId,
            Notification.Status status,
            String team,
            String channel,
            String kind,
            String flag,
            int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM notifications WHERE project_id = ?");
        List<Object> args = new ArrayList<>(List.of(projectId));
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        if (team != null) {
            sql.append(" AND team_key = ?");
            args.add(team);
        }
        if (channel != null) {
            sql.append(" AND channel_key = ?");
            args.add(channel);
        }
        if (kind != null) {
            sql.append(" AND kind = ?");
            args.add(kind);
        }
        if (flag != null) {
            sql.append(" AND flag = ?");
            args.add(flag);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), this::map, args.toArray());
    }

    /** Deletes up to {@code limit} sent or dead notifications finished before {@code before}, with their attempts. */
    int purgeFinishedBefore(Instant before, int limit) {
        return jdbc.update(
                "DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE status <> 'PENDING'"
                        + " AND finished_at < ? LIMIT ?)",
                at(before),
                limit);
    }

    /** How many notifications are in {@code status}, over every project (for the gauges). */
    long count(Notification.Status status) {
        return jdbc.queryForObject("SELECT count(*) FROM notifications WHERE status = ?", Long.class, status.name());
    }

    private Notification map(ResultSet rs, int row) throws SQLException {
        return new Notification(
                rs.getLong("id"),
                rs.getObject("delivery_id", UUID.class),
                rs.getLong("project_id"),
                rs.getObject("channel_id", Long.class),
                rs.getString("channel_key"),
                ChannelKind.valueOf(rs.getString("channel_kind")),
                rs.getString("team_key"),
                rs.getString("kind"),
                rs.getString("environment"),
                rs.getString("flag"),
                rs.getString("title"),
                rs.getString("body"),
                Notification.Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                instant(rs.getTimestamp("next_attempt_at")),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("finished_at")),
                rs.getString("last_error"));
    }
}
