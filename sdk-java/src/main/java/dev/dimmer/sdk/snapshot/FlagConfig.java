package dev.dimmer.sdk.snapshot;

import java.util.List;

/**
 * One flag as configured in one environment: its treatments (defined per project) and the
 * environment's targeting. Weights and {@code trafficAllocation} are basis points (0–10000).
 */
public record FlagConfig(
        String key,
        List<Treatment> treatments,
        boolean enabled,
        boolean killed,
        String offTreatment,
        List<Rule> rules,
        Serve defaultServe,
        int trafficAllocation,
        int seed,
        int trafficSeed,
        List<Prerequisite> prerequisites,
        long version) {

    public FlagConfig {
        treatments = treatments == null ? List.of() : List.copyOf(treatments);
        rules = rules == null ? List.of() : List.copyOf(rules);
        prerequisites = prerequisites == null ? List.of() : List.copyOf(prerequisites);
    }
}
