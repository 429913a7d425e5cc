package dev.dimmer.server.notifications;

import java.time.Instant;

/**
 * One try to send a notification, as the delivery log keeps it.
 *
 * @param statusCode the receiver's HTTP status, or null when none came (refused address, connection error, timeout)
 * @param responseBody the receiver's answer, truncated
 * @param error why the attempt failed without an answer, or what was wrong with the answer
 * @param worker the replica that made it
 */
record DeliveryAttempt(
        int attempt,
        Instant attemptedAt,
        Integer statusCode,
        long latencyMs,
        String responseBody,
        String error,
        String worker) {

    boolean delivered() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
}
