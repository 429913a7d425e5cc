package dev.dimmer.server.metrics;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One version of a metric's definition, as the API shows it. */
@Schema(name = "MetricVersion")
record MetricVersionView(
        int version,
        String eventType,
        String aggregation,
        String direction,
        boolean guardrail,
        double margin,
        boolean cuped,
        Instant definedAt,
        String definedBy) {

    static MetricVersionView of(MetricVersion v) {
        return new MetricVersionView(
                v.version(),
                v.eventType(),
                v.aggregation().name(),
                v.direction().name(),
                v.guardrail(),
                v.margin(),
                v.cuped(),
                v.definedAt(),
                v.definedBy());
    }
}
