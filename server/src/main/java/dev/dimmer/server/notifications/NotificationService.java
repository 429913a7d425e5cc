package dev.dimmer.server.notifications;

import dev.dimmer.server.audit.AuditLog;
import dev.dimmer.server.audit.AuditTarget;
import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.projects.Project;
import dev.dimmer.server.security.Actor;
import dev.dimmer.server.system.ApiException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Reads the outbox and its delivery log; redelivers a dead notification; sends a test notification to a channel. */
@Service
class NotificationService {

    static final int MAX_LIMIT = 500;

    private final Lookup lookup;
    private final OutboxRepository outbox;
    private final TeamService teams;
    private final TeamNotifications notifications;
    private final Deliverer deliverer;
    private final AuditLog audit;
    private final NotificationProperties properties;
    private final Clock clock;
    private final TransactionTemplate transaction;

    NotificationService(
            Lookup lookup,
            OutboxRepository outbox,
            TeamService teams,
            TeamNotifications notifications,
            Deliverer deliverer,
            AuditLog audit,
            NotificationProperties properties,
            Clock clock,
            PlatformTransactionManager transactions) {
        this.lookup = lookup;
        this.outbox = outbox;
        this.teams = teams;
        this.notifications = notifications;
        this.deliverer = deliverer;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
        this.transaction = new TransactionTemplate(transactions);
    }

    List<NotificationView> list(
            Actor actor,
            String project,
            String status,
            String team,
            String channel,
            String kind,
            String flag,
            int limit) {
        Project owner = lookup.project(project);
        actor.requireReaderOf(project);
        Notification.Status wanted = null;
        if (status != null) {
            try {
                wanted = Notification.Status.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(
                        "/status",
                        "must be one of "
                                + Arrays.stream(Notification.Status.values())
                                        .map(s -> s.name().toLowerCase(Locale.ROOT))
                                        .toList());
            }
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("/limit", "must be between 1 and " + MAX_LIMIT);
        }
        return outbox.list(owner.getId(), wanted, team, channel, kind, flag, limit).stream()
                .map(n -> NotificationView.of(n, outbox.attempts(n.id()), false))
                .toList();
    }

    NotificationView get(Actor actor, String project, long id) {
        Project owner = lookup.project(project);
        actor.requireReaderOf(project);
        Notification n = outbox.find(owner.getId(), id).orElseThrow(() -> notFound(project, id));
        return NotificationView.of(n, outbox.attempts(id), true);
    }

    /** Puts a dead (or sent) notification back in the outbox with a fresh allowance of attempts; audited. */
    NotificationView redeliver(Actor actor, String project, long id) {
        Project owner = lookup.project(project);
        actor.requireEditorOf(project);
        transaction.executeWithoutResult(tx -> {
            Notification n = outbox.lock(owner.getId(), id).orElseThrow(() -> notFound(project, id));
            if (n.status() == Notification.Status.PENDING) {
                throw ApiException.conflict("notification " + id + " is still pending (attempt " + n.attempts() + " of "
                        + n.maxAttempts() + " made): it needs no redelivery");
            }
            if (n.channelId() == null) {
                throw ApiException.conflict("notification " + id + " cannot be redelivered: its channel "
                        + n.channelKey() + " was deleted");
            }
            outbox.redeliver(id, n.attempts() + properties.maxAttempts(), clock.instant());
            audit.record(
                    actor,
                    "redeliver",
                    new AuditTarget("notification", String.valueOf(id), project, n.environment(), n.flag()),
                    Map.of("status", n.status().name(), "attempts", n.attempts()),
                    Map.of("status", Notification.Status.PENDING.name()));
        });
        deliverer.deliverNow(id);
        return get(actor, project, id);
    }

    /**
     * Sends a {@code test} notice to one channel at once (one attempt, no retry: the caller sees the outcome in the
     * answer) and keeps it in the delivery log like any other.
     */
    NotificationView sendTest(Actor actor, String project, String team, String channelKey) {
        Channel channel = teams.channel(project, team, channelKey);
        actor.requireEditorOf(project);
        Notice notice = new Notice(
                "test",
                project,
                null,
                null,
                "Test notification from Dimmer",
                "This is a test of channel " + channel.qualifiedKey() + " of project " + project + ", sent by "
                        + actor.name() + ". Nothing happened to any flag.",
                properties.publicUrl().isEmpty() ? null : properties.publicUrl() + "/projects/" + project,
                Map.of("requestedBy", actor.name()));
        Long id = transaction.execute(tx -> notifications.enqueue(channel, team, notice, 1));
        deliverer.deliverNow(id);
        return get(actor, project, id);
    }

    private static ApiException notFound(String project, long id) {
        return ApiException.notFound("notification " + id + " of project '" + project + "'");
    }
}
