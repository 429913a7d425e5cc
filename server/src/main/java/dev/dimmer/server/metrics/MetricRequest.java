package dev.dimmer.server.metrics;

import dev.dimmer.server.stats.Aggregation;
import dev.dimmer.server.stats.Direction;
import dev.dimmer.server.system.Violations;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The body of metric create (all of it) and update (the fields to change). Enums travel as text so
 * a wrong value is reported with its pointer rather than as unreadable JSON.
 */
record MetricRequest(
        String key,
        String name,
        String description,
        String eventType,
        String aggregation,
        String direction,
        Boolean guardrail,
        Double margin,
        Double killThreshold,
        Boolean cuped) {

    /** The event type syntax the ingestion API accepts. */
    static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    void check(Violations v, boolean creating, Metric current) {
        if (creating) {
            v.requireKey("/key", key);
            v.requireText("/name", name, 200);
            if (eventType == null) v.add("/eventType", "is required");
            if (aggregation == null) v.add("/aggregation", "is required: " + Arrays.toString(Aggregation.values()));
            if (direction == null) v.add("/direction", "is required: " + Arrays.toString(Direction.values()));
        } else if (name != null) {
            v.requireText("/name", name, 200);
        }
        v.maxLength("/description", description, 2000);
        if (eventType != null && !EVENT_TYPE.matcher(eventType).matches()) {
            v.add("/eventType", "must match " + EVENT_TYPE.pattern());
        }
        if (aggregation != null
                && Arrays.stream(Aggregation.values()).noneMatch(a -> a.name().equals(aggregation))) {
            v.add("/aggregation", "must be one of " + Arrays.toString(Aggregation.values()));
        }
        if (direction != null
                && Arrays.stream(Direction.values()).noneMatch(d -> d.name().equals(direction))) {
            v.add("/direction", "must be one of " + Arrays.toString(Direction.values()));
        }
        if (margin != null && !(margin >= 0 && margin < 1)) {
            v.add("/margin", "must be a relative margin in [0, 1), e.g. 0.02 for 2%");
        }
        if (killThreshold != null && !(killThreshold > 0 && Double.isFinite(killThreshold))) {
            v.add("/killThreshold", "must be a positive relative degradation, e.g. 0.10 for 10% worse");
        }
        String effectiveAggregation = aggregation != null
                ? aggregation
                : current == null || current.getAggregation() == null
                        ? null
                        : current.getAggregation().name();
        boolean effectiveCuped = cuped != null ? cuped : current != null && current.isCuped();
        if (effectiveCuped && "AVERAGE".equals(effectiveAggregation)) {
            v.add("/cuped", "CUPED is not available for AVERAGE (ratio) metrics");
        }
    }
}
