package dev.dimmer.server.notifications;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes sent and dead notifications, with their delivery log, once they are older than {@code
 * dimmer.notifications.retention} (default 30 days), so the outbox does not grow for ever. Pending ones are never
 * deleted. Runs hourly on every replica; replicas deleting at once do no harm.
 */
@Component
class NotificationRetention {

    private static final Logger log = LoggerFactory.getLogger(NotificationRetention.class);
    private static final int BATCH = 10_000;
    private static final int MAX_BATCHES = 100;

    private final OutboxRepository outbox;
    private final NotificationProperties properties;
    private final Clock clock;

    NotificationRetention(OutboxRepository outbox, NotificationProperties properties, Clock clock) {
        this.outbox = outbox;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${dimmer.notifications.purge-interval:PT1H}")
    void runScheduled() {
        try {
            purge();
        } catch (RuntimeException e) {
            log.warn("purging old notifications failed; will retry at the next pass", e);
        }
    }

    /** Returns how many notifications were deleted. */
    int purge() {
        var before = clock.instant().minus(properties.retention());
        int deleted = 0;
        for (int i = 0; i < MAX_BATCHES; i++) {
            int n = outbox.purgeFinishedBefore(before, BATCH);
            deleted += n;
            if (n < BATCH) {
                break;
            }
        }
        if (deleted > 0) {
            log.info("deleted {} notification(s) finished before {}", deleted, before);
        }
        return deleted;
    }
}
