package dev.dimmer.server.notifications;

import dev.dimmer.server.testsupport.IntegrationTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole server with the delivery worker running every 0.1 s, short backoffs, three attempts, and 127.0.0.1
 * allowed as a channel address (the tests' receiver runs there; refused by default); scheduled changes run
 * several times a second. Test classes with this annotation
 * share one server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@IntegrationTest
@TestPropertySource(
        properties = {
            "dimmer.notifications.interval=PT0.1S",
            "dimmer.notifications.initial-backoff=PT0.05S",
            "dimmer.notifications.max-backoff=PT0.2S",
            "dimmer.notifications.max-attempts=3",
            "dimmer.notifications.timeout=PT30S",
            "dimmer.notifications.allow-addresses=127.0.0.1",
            "dimmer.notifications.public-url=https://dimmer.example.com",
            "dimmer.schedules.interval=PT0.3S",
            "spring.datasource.hikari.connection-timeout=10000"
        })
@interface NotificationsIntegrationTest {}
