package dev.dimmer.server.stats;

import java.util.Objects;

/** One arm of the experiment (a treatment key) with its sufficient statistics for the metric being analysed. */
public record Arm(String treatment, SufficientStatistics statistics) {

    public Arm {
        Objects.requireNonNull(treatment, "treatment");
        Objects.requireNonNull(statistics, "statistics");
    }
}
