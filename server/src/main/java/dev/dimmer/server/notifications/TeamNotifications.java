package dev.dimmer.server.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells a flag's owning team (or, when the team has no channel, the project's default channels) about a notice.
 *
 * <p>Must be called inside the transaction that made the change being told: the notice is written to the outbox in
 * that transaction, one row per channel, so it is sent if and only if the change commits, and survives a crash before
 * delivery. {@link DeliveryWorker} sends it.
 */
@Service
public class TeamNotifications {

    private static final Logger log = LoggerFactory.getLogger(TeamNotifications.class);

    private final TeamRepository teams;
    private final OutboxRepository outbox;
    private final Payloads payloads;
    private final NotificationProperties properties;
    private final Clock clock;

    TeamNotifications(
            TeamRepository teams,
            OutboxRepository outbox,
            Payloads payloads,
            NotificationProperties properties,
            Clock clock) {
        this.teams = teams;
        this.outbox = outbox;
        this.payloads = payloads;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param projectId the project the notice belongs to
     * @param teamKey the owning team's key, or null/blank for the project's default channels
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void notify(long projectId, String teamKey, Notice notice) {
        String team = teamKey == null || teamKey.isBlank() ? null : teamKey;
        List<Channel> targets = channelsFor(projectId, team);
        if (targets.isEmpty()) {
            // Info, not warn: a project that has not set up channels yet is not an error.
            log.info(
                    "notice '{}' ({}) of project {} reaches nobody: team '{}' has no enabled channel and the project"
                            + " has no default channel",
                    notice.title(),
                    notice.kind(),
                    notice.project(),
                    team);
            return;
        }
        for (Channel channel : targets) {
            enqueue(channel, team, notice, properties.maxAttempts());
        }
    }

    /** The team's enabled channels; the project's default ones when the team does not exist or has none. */
    List<Channel> channelsFor(long projectId, String team) {
        if (team != null) {
            List<Channel> own = teams.team(projectId, team)
                    .map(t -> enabled(teams.channels(projectId, t.id())))
                    .orElse(List.of());
            if (!own.isEmpty()) {
                return own;
            }
        }
        return enabled(teams.channels(projectId, null));
    }

    /** Writes one outbox row for {@code channel}; returns its id. */
    @Transactional(propagation = Propagation.MANDATORY)
    long enqueue(Channel channel, String team, Notice notice, int maxAttempts) {
        UUID deliveryId = UUID.randomUUID();
        Instant now = clock.instant();
        String body = payloads.render(channel.kind(), deliveryId, team, notice, now);
        long id = outbox.insert(deliveryId, channel.projectId(), channel, team, notice, body, maxAttempts, now);
        log.debug("notice '{}' queued for channel {} as notification {}", notice.kind(), channel.qualifiedKey(), id);
        return id;
    }

    private static List<Channel> enabled(List<Channel> channels) {
        return channels.stream().filter(Channel::enabled).toList();
    }
}
