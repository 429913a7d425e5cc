package dev.dimmer.server.notifications;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counters of delivery attempts ({@code dimmer.notifications.attempts}, tagged {@code outcome=sent|failed}) and of
 * notifications given up ({@code dimmer.notifications.dead}), and gauges of the outbox ({@code
 * dimmer.notifications.outbox}, tagged {@code status=pending|dead}) over every replica, read from the database when
 * scraped. Alert on a growing {@code dead} or {@code pending}.
 */
@Component
class NotificationMetrics {

    private final Counter sent;
    private final Counter failed;
    private final Counter dead;

    NotificationMetrics(MeterRegistry registry, OutboxRepository outbox) {
        sent = Counter.builder("dimmer.notifications.attempts")
                .description("notification delivery attempts")
                .tag("outcome", "sent")
                .register(registry);
        failed = Counter.builder("dimmer.notifications.attempts")
                .description("notification delivery attempts")
                .tag("outcome", "failed")
                .register(registry);
        dead = Counter.builder("dimmer.notifications.dead")
                .description("notifications given up after their last attempt (or whose channel is gone)")
                .register(registry);
        for (Notification.Status status :
                new Notification.Status[] {Notification.Status.PENDING, Notification.Status.DEAD}) {
            Gauge.builder("dimmer.notifications.outbox", outbox, o -> countOrNaN(o, status))
                    .description("notifications in the outbox by status, over every replica")
                    .tag("status", status.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
        }
    }

    void attempt(boolean delivered) {
        (delivered ? sent : failed).increment();
    }

    void dead() {
        dead.increment();
    }

    private static double countOrNaN(OutboxRepository outbox, Notification.Status status) {
        try {
            return outbox.count(status);
        } catch (RuntimeException databaseDown) {
            return Double.NaN;
        }
    }
}
