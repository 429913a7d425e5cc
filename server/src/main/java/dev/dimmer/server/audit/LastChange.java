package dev.dimmer.server.audit;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Who last changed something, from the audit log: automation names the person whose change it will not overwrite. */
@Component
public class LastChange {

    /** Who made an audited change, and when. */
    public record Change(String actor, Instant at) {}

    private final JdbcTemplate jdbc;

    LastChange(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The actor of the newest audit entry about {@code target}, or "someone" when there is none. */
    public String actorOf(AuditTarget target) {
        return jdbc
                .queryForList(
                        "SELECT actor FROM audit_entries WHERE entity_type = ? AND entity_key = ?"
                                + " AND project IS NOT DISTINCT FROM ? AND environment IS NOT DISTINCT FROM ?"
                                + " ORDER BY id DESC LIMIT 1",
                        String.class,
                        target.entityType(),
                        target.entityKey(),
                        target.project(),
                        target.environment())
                .stream()
                .findFirst()
                .orElse("someone");
    }

    /**
     * The newest {@code action} (e.g. {@code kill}) recorded about a flag's {@code target}: who made it and when. The
     * flag equality lets the lookup use the {@code audit_entries_flag_at} index ({@code IS NOT DISTINCT FROM} cannot).
     */
    public Optional<Change> newest(AuditTarget target, String action) {
        if (target.flag() == null) {
            throw new IllegalArgumentException("not about a flag: " + target);
        }
        return jdbc
                .query(
                        "SELECT actor, at FROM audit_entries WHERE flag = ? AND entity_type = ? AND entity_key = ?"
                                + " AND project IS NOT DISTINCT FROM ? AND environment IS NOT DISTINCT FROM ?"
                                + " AND action = ? ORDER BY id DESC LIMIT 1",
                        (rs, i) ->
                                new Change(rs.getString(1), rs.getTimestamp(2).toInstant()),
                        target.flag(),
                        target.entityType(),
                        target.entityKey(),
                        target.project(),
                        target.environment(),
                        action)
                .stream()
                .findFirst();
    }
}
