package dev.dimmer.server.notifications;

import dev.dimmer.server.projects.Lookup;
import dev.dimmer.server.schedules.ScheduleApplied;
import dev.dimmer.server.schedules.ScheduleFailed;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells a flag's owning team that a scheduled change ran ({@code schedule.applied}) or failed ({@code
 * schedule.failed}). Both events are published inside the transaction that recorded the outcome, and this listener
 * is synchronous, so the notification commits (or rolls back) with it.
 */
@Component
class ScheduleNotifier {

    private final TeamNotifications notifications;
    private final Lookup lookup;
    private final Links links;

    ScheduleNotifier(TeamNotifications notifications, Lookup lookup, Links links) {
        this.notifications = notifications;
        this.lookup = lookup;
        this.links = links;
    }

    @EventListener
    void on(ScheduleApplied e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scheduleId", e.scheduleId());
        details.put("scheduledAction", e.action().name());
        details.put("runAt", e.runAt().toString());
        details.put("ranAt", e.ranAt().toString());
        details.put("createdBy", e.createdBy());
        details.put("configurationVersion", e.configurationVersion());
        details.put("action", "applied " + e.action() + " (configuration version " + e.configurationVersion() + ")");
        notifications.notify(
                lookup.project(e.project()).getId(),
                e.ownerTeam(),
                new Notice(
                        "schedule.applied",
                        e.project(),
                        e.environment(),
                        e.flag(),
                        "Flag '" + e.flag() + "' in " + e.environment() + ": scheduled " + e.action() + " applied",
                        "Scheduled change " + e.scheduleId() + " (" + e.action() + " at " + e.runAt()
                                + ", scheduled by "
                                + e.createdBy() + ") was applied at " + e.ranAt() + "; the configuration is now at"
                                + " version " + e.configurationVersion() + ".",
                        links.flag(e.project(), e.flag(), e.environment()),
                        details));
    }

    @EventListener
    void on(ScheduleFailed e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("scheduleId", e.scheduleId());
        details.put("scheduledAction", e.action().name());
        details.put("runAt", e.runAt().toString());
        details.put("ranAt", e.ranAt().toString());
        details.put("createdBy", e.createdBy());
        details.put("baseVersion", e.baseVersion());
        details.put("currentVersion", e.currentVersion());
        details.put("reason", e.reason());
        details.put("action", "applied nothing");
        notifications.notify(
                lookup.project(e.project()).getId(),
                e.ownerTeam(),
                new Notice(
                        "schedule.failed",
                        e.project(),
                        e.environment(),
                        e.flag(),
                        "Flag '" + e.flag() + "' in " + e.environment() + ": scheduled " + e.action() + " failed",
                        "Scheduled change " + e.scheduleId() + " (" + e.action() + " at " + e.runAt()
                                + ", scheduled by " + e.createdBy() + ") did not run: " + e.reason() + ".",
                        links.flag(e.project(), e.flag(), e.environment()),
                        details));
    }
}
