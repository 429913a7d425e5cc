package dev.dimmer.server.metrics;

import java.time.Instant;

/**
 * @param version the row's version, bumped by every change (for optimistic concurrency)
 * @param definitionVersion the version of the definition (event type, aggregation, direction, guardrail, margin,
 *     CUPED): a new one when the definition changes after an experiment using the metric started
 *     ({@code GET …/metrics/{m}/versions})
 */
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
        int definitionVersion,
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
                m.getDefinitionVersion(),
                m.getCreatedAt(),
                m.getUpdatedAt());
    }
}
