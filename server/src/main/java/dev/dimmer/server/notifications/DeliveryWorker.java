package dev.dimmer.server.notifications;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends due notifications every {@code dimmer.notifications.interval} (default 5 s), on every replica: each is claimed
 * by exactly one of them ({@link Deliverer}). Notifications left pending by a crash are due at once, so they go out
 * at the first pass after the restart.
 */
@Component
class DeliveryWorker {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

    private final Deliverer deliverer;
    private final NotificationProperties properties;

    DeliveryWorker(Deliverer deliverer, NotificationProperties properties) {
        this.deliverer = deliverer;
        this.properties = properties;
    }

    @Scheduled(
            initialDelayString = "${dimmer.notifications.interval:PT5S}",
            fixedDelayString = "${dimmer.notifications.interval:PT5S}")
    void runScheduled() {
        deliverDue();
    }

    /** Sends due notifications, at most {@code batch-size} of them; returns how many were attempted. */
    int deliverDue() {
        int attempted = 0;
        try {
            while (attempted < properties.batchSize()
                    && deliverer.deliverNextDue().isPresent()) {
                attempted++;
            }
        } catch (RuntimeException e) {
            log.error("delivering notifications failed; will retry at the next pass", e);
        }
        return attempted;
    }
}
