package dev.dimmer.server.alerts;

import dev.dimmer.server.testsupport.IntegrationTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole server with the analysis job every second (trusted at once) and alert and stale-flag periods of seconds,
 * set by configuration. Test classes with this annotation share one server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@IntegrationTest
@TestPropertySource(
        properties = {
            "dimmer.analysis.interval=PT1S",
            "dimmer.analysis.settle=PT0S",
            "dimmer.alerts.clear-cycles=2",
            "dimmer.alerts.no-traffic-after=PT5S",
            "dimmer.alerts.stale-single-treatment-after=PT2S",
            "dimmer.alerts.stale-unused-after=PT6S",
            "spring.datasource.hikari.connection-timeout=10000"
        })
@interface AlertsIntegrationTest {}
