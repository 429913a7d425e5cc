package dev.dimmer.server.analysis;

import java.time.Instant;

/**
 * How a flag's experiment is analysed in one environment (table {@code experiment_settings}).
 *
 * @param splitRule the id of the rule whose split is the experiment, or null for the default (the default rule's split,
 *     else the first rule serving a split)
 * @param expectedSample the total sample the sequential design is tuned for, or null for the server's default
 * @param minimumDetectableEffect the relative change the decision's "users still needed" is computed for, or null
 *     for 5 %
 * @param updatedAt when a person last changed them, or null when never set
 * @param updatedBy who did, or null
 */
public record ExperimentSettings(
        String splitRule, Integer expectedSample, Double minimumDetectableEffect, Instant updatedAt, String updatedBy) {

    static final ExperimentSettings DEFAULTS = new ExperimentSettings(null, null, null, null, null);
}
