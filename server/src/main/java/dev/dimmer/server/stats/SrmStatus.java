package dev.dimmer.server.stats;

/** Outcome of the sample-ratio-mismatch check. */
public enum SrmStatus {
    /** Observed arm sizes are consistent with the configured weights. */
    OK,
    /** Always-valid p < 0.001: assignment or logging is broken; the report is untrustworthy, an alert is raised. */
    MISMATCH,
    /** Too few users to test (an arm's expected count is below 8). */
    NOT_ENOUGH_DATA
}
