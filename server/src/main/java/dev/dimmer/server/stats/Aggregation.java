package dev.dimmer.server.stats;

/**
 * How a metric turns a user's events into the per-user value y that the engine compares.
 *
 * <p>COUNT, SUM and CONVERSION give one number per exposed user (0 when the user had no event), so an arm is
 * summarised by n, Σy and Σy². AVERAGE is a ratio of two per-user numbers (sum of values / number of events) and
 * needs the denominator's sums as well; see {@link SufficientStatistics}.
 */
public enum Aggregation {
    /** Number of events per user; y = event count. */
    COUNT,
    /** Sum of event values per user; y = sum of values. */
    SUM,
    /** Share of users with at least one event; y ∈ {0, 1}, variance p̂(1−p̂). */
    CONVERSION,
    /** Σvalue / Σevents over the arm: a ratio metric analysed with the delta method. */
    AVERAGE
}
