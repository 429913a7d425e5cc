package dev.dimmer.server.notifications;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A notification with its delivery log.
 *
 * @param channel {@code <team>/<key>} or {@code default/<key>}
 * @param nextAttemptAt when the next attempt is due (pending only)
 * @param deliveries every attempt, oldest first
 * @param body the exact request body sent (on {@code GET …/notifications/{id}} only)
 */
record NotificationView(
        long id,
        String deliveryId,
        String kind,
        String status,
        String team,
        String channel,
        String channelKind,
        String environment,
        String flag,
        String title,
        int attempts,
        int maxAttempts,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant finishedAt,
        String lastError,
        List<Delivery> deliveries,
        @JsonInclude(JsonInclude.Include.NON_NULL) String body) {

    record Delivery(
            int attempt,
            Instant at,
            Integer statusCode,
            long latencyMs,
            String responseBody,
            String error,
            String worker) {

        static Delivery of(DeliveryAttempt a) {
            return new Delivery(
                    a.attempt(),
                    a.attemptedAt(),
                    a.statusCode(),
                    a.latencyMs(),
                    a.responseBody(),
                    a.error(),
                    a.worker());
        }
    }

    static NotificationView of(Notification n, List<DeliveryAttempt> attempts, boolean withBody) {
        return new NotificationView(
                n.id(),
                n.deliveryId().toString(),
                n.kind(),
                n.status().name().toLowerCase(java.util.Locale.ROOT),
                n.teamKey(),
                n.channelKey(),
                n.channelKind().wireName(),
                n.environment(),
                n.flag(),
                n.title(),
                n.attempts(),
                n.maxAttempts(),
                n.status() == Notification.Status.PENDING ? n.nextAttemptAt() : null,
                n.createdAt(),
                n.finishedAt(),
                n.lastError(),
                attempts.stream().map(Delivery::of).toList(),
                withBody ? n.body() : null);
    }
}
