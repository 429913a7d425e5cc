package dev.dimmer.server.alerts;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code dimmer.alerts.open{kind}}: unresolved alerts (open or acknowledged) of each kind, read from the database when
 * scraped, so every replica reports the same number whichever one ran the cycle. The count reads only the partial
 * unique index of unresolved alerts.
 */
@Component
class AlertGauges {

    private static final Logger log = LoggerFactory.getLogger(AlertGauges.class);

    private final JdbcTemplate jdbc;

    AlertGauges(MeterRegistry registry, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        for (AlertKind kind : AlertKind.values()) {
            Gauge.builder("dimmer.alerts.open", this, g -> g.unresolved(kind))
                    .tag("kind", kind.name())
                    .description("Unresolved (open or acknowledged) alerts")
                    .register(registry);
        }
    }

    double unresolved(AlertKind kind) {
        try {
            Long n = jdbc.queryForObject(
                    "SELECT count(*) FROM alerts WHERE kind = ? AND status <> 'RESOLVED'", Long.class, kind.name());
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            log.debug("alerts gauge: database unavailable", e);
            return Double.NaN;
        }
    }
}
