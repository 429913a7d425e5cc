package dev.dimmer.server.notifications;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Teams and their channels in PostgreSQL. */
@Repository
class TeamRepository {

    private static final String CHANNEL = "SELECT c.id, c.project_id, c.team_id, t.key AS team_key, c.key, c.name,"
            + " c.kind, c.url, c.secret, c.enabled, c.created_at, c.updated_at FROM notification_channels c"
            + " LEFT JOIN teams t ON t.id = c.team_id";

    private final JdbcTemplate jdbc;

    TeamRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    long insertTeam(long projectId, String key, String name, Instant now) {
        return jdbc.queryForObject(
                "INSERT INTO teams (project_id, key, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                Long.class,
                projectId,
                key,
                name,
                at(now),
                at(now));
    }

    Optional<Team> team(long projectId, String key) {
        return jdbc
                .query("SELECT * FROM teams WHERE project_id = ? AND key = ?", this::mapTeam, projectId, key)
                .stream()
                .findFirst();
    }

    List<Team> teams(long projectId) {
        return jdbc.query("SELECT * FROM teams WHERE project_id = ? ORDER BY key", this::mapTeam, projectId);
    }

    void renameTeam(long id, String name, Instant now) {
        jdbc.update("UPDATE teams SET name = ?, updated_at = ? WHERE id = ?", name, at(now), id);
    }

    /** Deletes the team and (cascade) its channels; their notifications stay, marked dead if still pending. */
    void deleteTeam(long id) {
        jdbc.update("DELETE FROM teams WHERE id = ?", id);
    }

    long insertChannel(
            long projectId,
            Long teamId,
            String key,
            String name,
            ChannelKind kind,
            String url,
            String sealedSecret,
            boolean enabled,
            Instant now) {
        return jdbc.queryForObject(
                "INSERT INTO notification_channels (project_id, team_id, key, name, kind, url, secret, enabled,"
                        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                Long.class,
                projectId,
                teamId,
                key,
                name,
                kind.name(),
                url,
                sealedSecret,
                enabled,
                at(now),
                at(now));
    }

    /** A channel of the team ({@code teamId} null: of the project's defaults). */
    Optional<Channel> channel(long projectId, Long teamId, String key) {
        return teamId == null
                ? jdbc
                        .query(
                                CHANNEL + " WHERE c.project_id = ? AND c.team_id IS NULL AND c.key = ?",
                                this::mapChannel,
                                projectId,
                                key)
                        .stream()
                        .findFirst()
                : jdbc
                        .query(
                                CHANNEL + " WHERE c.project_id = ? AND c.team_id = ? AND c.key = ?",
                                this::mapChannel,
                                projectId,
                                teamId,
                                key)
                        .stream()
                        .findFirst();
    }

    Optional<Channel> channel(long id) {
        return jdbc.query(CHANNEL + " WHERE c.id = ?", this::mapChannel, id).stream()
                .findFirst();
    }

    /** The team's channels ({@code teamId} null: the project's defaults), enabled or not. */
    List<Channel> channels(long projectId, Long teamId) {
        return teamId == null
                ? jdbc.query(
                        CHANNEL + " WHERE c.project_id = ? AND c.team_id IS NULL ORDER BY c.key",
                        this::mapChannel,
                        projectId)
                : jdbc.query(
                        CHANNEL + " WHERE c.project_id = ? AND c.team_id = ? ORDER BY c.key",
                        this::mapChannel,
                        projectId,
                        teamId);
    }

    void updateChannel(long id, String name, String url, boolean enabled, Instant now) {
        jdbc.update(
                "UPDATE notification_channels SET name = ?, url = ?, enabled = ?, updated_at = ? WHERE id = ?",
                name,
                url,
                enabled,
                at(now),
                id);
    }

    void replaceSecret(long id, String sealedSecret, Instant now) {
        jdbc.update(
                "UPDATE notification_channels SET secret = ?, updated_at = ? WHERE id = ?", sealedSecret, at(now), id);
    }

    void deleteChannel(long id) {
        jdbc.update("DELETE FROM notification_channels WHERE id = ?", id);
    }

    private Team mapTeam(ResultSet rs, int row) throws SQLException {
        return new Team(
                rs.getLong("id"),
                rs.getLong("project_id"),
                rs.getString("key"),
                rs.getString("name"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    private Channel mapChannel(ResultSet rs, int row) throws SQLException {
        return new Channel(
                rs.getLong("id"),
                rs.getLong("project_id"),
                rs.getObject("team_id", Long.class),
                rs.getString("team_key"),
                rs.getString("key"),
                rs.getString("name"),
                ChannelKind.valueOf(rs.getString("kind")),
                rs.getString("url"),
                rs.getString("secret"),
                rs.getBoolean("enabled"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("updated_at")));
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
