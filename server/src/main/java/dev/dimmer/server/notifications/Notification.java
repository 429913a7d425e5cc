package dev.dimmer.server.notifications;

import java.time.Instant;
import java.util.UUID;

/** One notice for one channel: a row of the outbox. */
record Notification(
        long id,
        UUID deliveryId,
        long projectId,
        Long channelId,
        String channelKey,
        ChannelKind channelKind,
        String teamKey,
        String kind,
        String environment,
        String flag,
        String title,
        String body,
        Status status,
        int attempts,
        int maxAttempts,
        Instant nextAttemptAt,
        Instant createdAt,
        Instant finishedAt,
        String lastError) {

    enum Status {
        /** Waiting for its first or next attempt. */
        PENDING,
        /** A receiver answered 2xx. */
        SENT,
        /** Every attempt failed, or its channel is gone; a person may redeliver it. */
        DEAD
    }
}
