package dev.dimmer.server.notifications;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sends one notification in one transaction: claim its row ({@code FOR UPDATE SKIP LOCKED}), make the attempt while
 * holding it, record the attempt, and mark the notification sent, due again later (exponential backoff with jitter),
 * or dead after its last attempt. The row stays locked during the POST (bounded by {@code
 * dimmer.notifications.timeout}), so no other replica sends it meanwhile; a crash releases the lock and leaves it
 * pending, so it is sent again rather than lost (receivers drop a repeat by its {@code X-Dimmer-Delivery} id).
 */
@Component
class Deliverer {

    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);

    private final OutboxRepository outbox;
    private final TeamRepository teams;
    private final WebhookSender sender;
    private final NotificationMetrics metrics;
    private final NotificationProperties properties;
    private final Clock clock;
    private final String worker;

    Deliverer(
            OutboxRepository outbox,
            TeamRepository teams,
            WebhookSender sender,
            NotificationMetrics metrics,
            NotificationProperties properties,
            Clock clock) {
        this.outbox = outbox;
        this.teams = teams;
        this.sender = sender;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
        // pid@host, plus a per-instance tag: two servers in one JVM (tests) are still told apart.
        this.worker = ManagementFactory.getRuntimeMXBean().getName() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Sends the earliest due notification no other replica holds; empty when there is none. */
    @Transactional
    public Optional<Notification> deliverNextDue() {
        Optional<Notification> due = outbox.claimDue(clock.instant());
        due.ifPresent(this::deliver);
        return due;
    }

    /** Sends notification {@code id} now if it is pending and nobody else is sending it; returns whether it did. */
    @Transactional
    public boolean deliverNow(long id) {
        Optional<Notification> claimed = outbox.claim(id);
        claimed.ifPresent(this::deliver);
        return claimed.isPresent();
    }

    private void deliver(Notification n) {
        Optional<Channel> channel = n.channelId() == null ? Optional.empty() : teams.channel(n.channelId());
        if (channel.isEmpty()) {
            giveUp(n, n.attempts(), "its channel " + n.channelKey() + " was deleted");
            return;
        }
        if (!channel.get().enabled() && !"test".equals(n.kind())) {
            giveUp(n, n.attempts(), "its channel " + n.channelKey() + " is disabled");
            return;
        }
        int attempt = n.attempts() + 1;
        DeliveryAttempt result = sender.send(channel.get(), n, attempt, worker);
        outbox.recordAttempt(n.id(), result);
        metrics.attempt(result.delivered());
        Instant now = clock.instant();
        if (result.delivered()) {
            outbox.markSent(n.id(), attempt, now);
            log.info(
                    "notification {} ({}) sent to {} (attempt {}, {} ms)",
                    n.id(),
                    n.kind(),
                    n.channelKey(),
                    attempt,
                    result.latencyMs());
        } else if (attempt >= n.maxAttempts()) {
            giveUp(n, attempt, "attempt " + attempt + " of " + n.maxAttempts() + " failed: " + result.error());
        } else {
            Instant next = now.plus(backoff(attempt));
            outbox.retryAt(n.id(), attempt, next, result.error());
            log.info(
                    "notification {} ({}) to {}: attempt {} of {} failed ({}); next at {}",
                    n.id(),
                    n.kind(),
                    n.channelKey(),
                    attempt,
                    n.maxAttempts(),
                    result.error(),
                    next);
        }
    }

    private void giveUp(Notification n, int attempts, String why) {
        outbox.markDead(n.id(), attempts, clock.instant(), why);
        metrics.dead();
        log.warn(
                "notification {} ({}) to {} is dead: {}; redeliver it once the receiver is fixed",
                n.id(),
                n.kind(),
                n.channelKey(),
                why);
    }

    /**
     * The wait after failed attempt {@code attempt}: the initial backoff doubled per earlier failure, capped, and then
     * drawn at random from its upper half ("equal jitter"), so receivers that fail together are not retried in step.
     */
    Duration backoff(int attempt) {
        long initial = properties.initialBackoff().toMillis();
        long cap = properties.maxBackoff().toMillis();
        long exponential = attempt - 1 >= 30 ? cap : Math.min(cap, initial << (attempt - 1));
        long half = exponential / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(exponential - half + 1));
    }
}
