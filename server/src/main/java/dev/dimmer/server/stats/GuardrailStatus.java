package dev.dimmer.server.stats;

/**
 * The state of a guardrail metric for one treatment. All comparisons use d·Δ (Δ = absolute difference treatment −
 * control, d = the metric's {@link Direction#sign()}), so negative always means "worse". Checked in this order:
 */
public enum GuardrailStatus {
    /** The metric is not a guardrail. */
    NOT_APPLICABLE,
    /** Fewer users (or conversions) than the minimum per arm: nothing is concluded yet. */
    NOT_ENOUGH_DATA,
    /** Breached, and the whole always-valid interval of d·Δ is below −killThreshold·|ȳC|: roll back now. */
    SEVERE,
    /** The whole always-valid (sequential) interval of d·Δ is below 0: significantly worse. */
    BREACHED,
    /** Non-inferiority holds: the one-sided lower bound of d·Δ is above −margin·|ȳC|. */
    HEALTHY,
    /** Neither breached nor shown non-inferior yet: keep watching (the usual state early on). */
    AT_RISK
}
