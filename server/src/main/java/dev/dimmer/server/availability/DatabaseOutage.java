package dev.dimmer.server.availability;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Remembers when the database was last found unreachable, so that paths able to answer from memory (the SDK
 * snapshot) skip the pool's acquisition timeout while the outage lasts, and so that an outage is logged once when
 * it starts rather than once per request.
 */
@Component
public class DatabaseOutage {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);

    private final Clock clock;
    private final Duration retryAfter;
    private final AtomicLong lastFailureMillis = new AtomicLong(Long.MIN_VALUE);

    DatabaseOutage(Clock clock, @Value("${dimmer.database.retry-after-seconds:5}") long retryAfterSeconds) {
        this.clock = clock;
        this.retryAfter = Duration.ofSeconds(Math.max(1, retryAfterSeconds));
    }

    /** Records a failure that {@link DatabaseUnavailable#isCause} recognised. */
    public void failed(Throwable cause) {
        long now = clock.millis();
        long previous = lastFailureMillis.getAndSet(now);
        if (previous == Long.MIN_VALUE || now - previous > retryAfter.toMillis() * 4) {
            log.warn(
                    "Database unreachable; answering 503 with Retry-After {} s: {}",
                    retryAfter.toSeconds(),
                    cause.toString());
        }
    }

    /** Whether the database failed within the last {@code Retry-After} period. */
    public boolean recentlyUnavailable() {
        long last = lastFailureMillis.get();
        return last != Long.MIN_VALUE && clock.millis() - last < retryAfter.toMillis();
    }

    /** The {@code Retry-After} seconds of a 503 (dimmer.database.retry-after-seconds, default 5). */
    public long retryAfterSeconds() {
        return retryAfter.toSeconds();
    }
}
