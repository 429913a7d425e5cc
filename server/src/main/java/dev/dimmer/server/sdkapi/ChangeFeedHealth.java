package dev.dimmer.server.sdkapi;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code changeFeed} component of {@code /actuator/health}: OUT_OF_SERVICE while the LISTEN connection is down
 * (SDK reads then ask the database, or answer from memory when it is away). It is not part of the readiness group:
 * a replica without its feed still serves SDK snapshots (docs/security.md "Database outage").
 */
@Component("changeFeedHealthIndicator") // the health component "changeFeed"
class ChangeFeedHealth implements HealthIndicator {

    private final ChangeFeed feed;

    ChangeFeedHealth(ChangeFeed feed) {
        this.feed = feed;
    }

    @Override
    public Health health() {
        return feed.isHealthy()
                ? Health.up().build()
                : Health.outOfService()
                        .withDetail("reason", "LISTEN connection to PostgreSQL lost; reconnecting with backoff")
                        .build();
    }
}
