package dev.dimmer.server.notifications;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells a flag's owning team (or, when the team has no channel, the project's default channels) about a notice.
 *
 * <p>Must be called inside the transaction that made the change being told: the notice is written to the outbox in
 * that transaction, so it is sent if and only if the change commits, and survives a crash before delivery.
 */
@Service
public class TeamNotifications {

    private static final Logger log = LoggerFactory.getLogger(TeamNotifications.class);

    /**
     * @param projectId the project the notice belongs to
     * @param teamKey the owning team's key, or null/blank for the project's default channels
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void notify(long projectId, String teamKey, Notice notice) {
        // Placeholder until the outbox lands (notifications helper): the notice is only logged.
        log.info("notice for team '{}' of project {}: {}", teamKey, projectId, notice.title());
    }
}
