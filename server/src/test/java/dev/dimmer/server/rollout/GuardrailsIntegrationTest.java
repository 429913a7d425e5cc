package dev.dimmer.server.rollout;

import dev.dimmer.server.testsupport.IntegrationTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole server with short intervals set by configuration (analysis every second, trusted at once; plans checked
 * and schedules run several times a second) and the plan and schedule events recorded. Test classes with this
 * annotation share one server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@IntegrationTest
@TestPropertySource(
        properties = {
            "dimmer.analysis.interval=PT1S",
            "dimmer.analysis.settle=PT0S",
            "dimmer.rollout.interval=PT0.3S",
            "dimmer.schedules.interval=PT0.3S",
            // A job waiting for a connection while the test database is dropped at exit must not hold the JVM 30 s.
            "spring.datasource.hikari.connection-timeout=10000"
        })
@Import(RecordedEvents.class)
public @interface GuardrailsIntegrationTest {}
