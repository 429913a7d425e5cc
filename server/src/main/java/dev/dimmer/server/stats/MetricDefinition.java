package dev.dimmer.server.stats;

import java.util.Objects;

/**
 * The metric as configured by the experimenter (DESIGN §5).
 *
 * @param key stable identifier
 * @param name human-readable name, used in the summary sentence
 * @param aggregation how per-user values are formed
 * @param direction which way is better
 * @param guardrail true for a guardrail (protect, no multiple-comparison correction), false for a success metric
 * @param margin non-inferiority margin relative to the control mean (0.02 = 2 %); guardrails only
 * @param killThreshold relative to the control mean like {@code margin} (0.10 = 10 % worse); null = no severe level
 * @param cuped whether to apply CUPED with the pre-exposure covariate in {@link SufficientStatistics} x
 */
public record MetricDefinition(
        String key,
        String name,
        Aggregation aggregation,
        Direction direction,
        boolean guardrail,
        double margin,
        Double killThreshold,
        boolean cuped) {

    public MetricDefinition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(direction, "direction");
        if (!(margin >= 0)) {
            throw new IllegalArgumentException("margin must be >= 0");
        }
        if (killThreshold != null && !(killThreshold >= 0)) {
            throw new IllegalArgumentException("killThreshold must be >= 0");
        }
    }

    /** A success metric (no margin, no kill threshold, no CUPED). */
    public static MetricDefinition success(String key, String name, Aggregation aggregation, Direction direction) {
        return new MetricDefinition(key, name, aggregation, direction, false, 0, null, false);
    }

    /** A guardrail metric with relative margin and kill threshold. */
    public static MetricDefinition guardrail(
            String key,
            String name,
            Aggregation aggregation,
            Direction direction,
            double margin,
            Double killThreshold) {
        return new MetricDefinition(key, name, aggregation, direction, true, margin, killThreshold, false);
    }

    public MetricDefinition withCuped(boolean enabled) {
        return new MetricDefinition(key, name, aggregation, direction, guardrail, margin, killThreshold, enabled);
    }
}
