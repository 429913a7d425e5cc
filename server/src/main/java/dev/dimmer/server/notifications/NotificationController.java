package dev.dimmer.server.notifications;

import dev.dimmer.server.security.Actor;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A project's notifications and their delivery log (docs/api.md "Notifications"). */
@RestController
class NotificationController {

    private static final String NOTIFICATIONS = "/api/v1/projects/{project}/notifications";

    private final NotificationService notifications;

    NotificationController(NotificationService notifications) {
        this.notifications = notifications;
    }

    /** Newest first, each with its attempts. */
    @GetMapping(NOTIFICATIONS)
    List<NotificationView> list(
            Actor actor,
            @PathVariable String project,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String team,
            @RequestParam(required = false) String channel,
            @RequestParam(required = false) String kind,
            @RequestParam(required = false) String flag,
            @RequestParam(defaultValue = "100") int limit) {
        return notifications.list(actor, project, status, team, channel, kind, flag, limit);
    }

    /** One notification with its attempts and the exact body sent. */
    @GetMapping(NOTIFICATIONS + "/{id}")
    NotificationView get(Actor actor, @PathVariable String project, @PathVariable long id) {
        return notifications.get(actor, project, id);
    }

    /** Sends a dead (or sent) notification again, with a fresh allowance of attempts; the first is made at once. */
    @PostMapping(NOTIFICATIONS + "/{id}/redeliver")
    NotificationView redeliver(Actor actor, @PathVariable String project, @PathVariable long id) {
        return notifications.redeliver(actor, project, id);
    }
}
