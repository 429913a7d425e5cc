package dev.dimmer.server.metrics;

import java.time.Instant;

record MetricView(
        String key,
        String name,
        String description,
        String eventType,
        String aggregation,
        String direction,
        boolean guardrail,
        double margin,
        Double killThreshold,
        boolean cuped,
        boolean archived,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    static MetricView of(Metric m) {
        return new MetricView(
                m.getKey(),
                m.getName(),
                m.getDescription(),
                m.getEventType(),
                m.getAggregation().name(),
                m.getDirection().name(),
                m.isGuardrail(),
                m.getMargin(),
                m.getKillThreshold(),
                m.isCuped(),
                m.isArchived(),
                m.getVersion(),
                m.getCreatedAt(),
                m.getUpdatedAt());
    }
}
