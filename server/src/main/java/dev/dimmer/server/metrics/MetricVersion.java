package dev.dimmer.server.metrics;

import dev.dimmer.server.stats.Aggregation;
import dev.dimmer.server.stats.Direction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One version of a metric's definition: the parts that decide what its numbers mean and how they are judged (event
 * type, aggregation, direction, guardrail, margin, CUPED). Name, description and kill threshold are not part of it: a
 * clearer name changes no number, and the kill threshold is an operational policy (when the platform kills the flag),
 * not a question the experiment asks.
 *
 * @param definedAt when this definition was set (an in-place edit before any experiment started moves it)
 * @param definedBy who set it (the audit log's actor name)
 */
public record MetricVersion(
        int version,
        String eventType,
        Aggregation aggregation,
        Direction direction,
        boolean guardrail,
        double margin,
        boolean cuped,
        Instant definedAt,
        String definedBy) {

    /** One field that differs between two versions, as text. */
    public record FieldChange(String field, String from, String to) {}

    static MetricVersion of(Metric m, Instant at, String by) {
        return new MetricVersion(
                m.getDefinitionVersion(),
                m.getEventType(),
                m.getAggregation(),
                m.getDirection(),
                m.isGuardrail(),
                m.getMargin(),
                m.isCuped(),
                at,
                by);
    }

    /** Whether the current definition of {@code m} is this one (whatever the version numbers). */
    public boolean sameDefinitionAs(Metric m) {
        return differences(of(m, definedAt, definedBy)).isEmpty();
    }

    /** The fields whose value differs from this version to {@code other}, in a fixed order. */
    public List<FieldChange> differences(MetricVersion other) {
        List<FieldChange> changes = new ArrayList<>();
        add(changes, "eventType", eventType, other.eventType);
        add(changes, "aggregation", aggregation, other.aggregation);
        add(changes, "direction", direction, other.direction);
        add(changes, "guardrail", guardrail, other.guardrail);
        add(changes, "margin", margin, other.margin);
        add(changes, "cuped", cuped, other.cuped);
        return changes;
    }

    private static void add(List<FieldChange> changes, String field, Object from, Object to) {
        if (!Objects.equals(from, to)) {
            changes.add(new FieldChange(field, String.valueOf(from), String.valueOf(to)));
        }
    }
}
