package dev.dimmer.server.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Who last changed something, from the audit log: automation names the person whose change it will not overwrite. */
@Component
public class LastChange {

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
}
