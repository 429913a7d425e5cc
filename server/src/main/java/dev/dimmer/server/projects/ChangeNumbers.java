package dev.dimmer.server.projects;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bumps an environment's change number, the version of its whole snapshot, and tells every
 * replica about it. {@code pg_notify} is transactional: the notification is delivered when, and
 * only if, the change commits, so no SDK is told about a change that rolled back.
 *
 * <p>Callers bump last in their transaction, after the changed row is written, so every writer
 * locks rows in the same order (entity, then environment) and two writers cannot deadlock.
 */
@Component
public class ChangeNumbers {

    public static final String CHANNEL = "dimmer_changes";

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    ChangeNumbers(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public long bump(long environmentId) {
        Long changeNumber = jdbc.queryForObject(
                "UPDATE environments SET change_number = change_number + 1 WHERE id = ? RETURNING change_number",
                Long.class,
                environmentId);
        jdbc.queryForObject("SELECT pg_notify(?, ?)", Object.class, CHANNEL, environmentId + ":" + changeNumber);
        // This replica's readers learn of the change when it commits (an AFTER_COMMIT listener), before the
        // writer's response leaves: the notification's round trip through PostgreSQL comes later and is then a no-op.
        events.publishEvent(new EnvironmentChanged(environmentId, changeNumber));
        return changeNumber;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void bumpProject(long projectId) {
        for (Long environmentId : jdbc.queryForList(
                "SELECT id FROM environments WHERE project_id = ? ORDER BY id", Long.class, projectId)) {
            bump(environmentId);
        }
    }
}
