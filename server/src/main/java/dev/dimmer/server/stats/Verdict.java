package dev.dimmer.server.stats;

/** The decision for one metric and treatment, after multiple-comparison correction. */
public enum Verdict {
    /** The treatment is significantly better in the metric's direction. */
    IMPROVED,
    /** The treatment is significantly worse in the metric's direction. */
    DEGRADED,
    /** Enough data, but the interval still contains "no change". */
    INCONCLUSIVE,
    /** Fewer users (or conversions) than the minimum per arm, or no variance to test with. */
    NOT_ENOUGH_DATA,
    /** A sample ratio mismatch: the arms are not what the randomisation made them, so no verdict is given. */
    NOT_TRUSTWORTHY
}
