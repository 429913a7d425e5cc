package dev.dimmer.sdk.eval;

/** Why an evaluation served what it served; the names follow OpenFeature's resolution reasons. */
public enum Reason {
    /** A rule with a fixed treatment matched. */
    TARGETING_MATCH,
    /** The key was bucketed into one arm of a split (of a rule or of the default rule). */
    SPLIT,
    /** No rule matched and the default rule served a fixed treatment, or the key fell outside the traffic allocation. */
    DEFAULT,
    /** The flag is off, killed, or a prerequisite is not met: the off treatment was served. */
    DISABLED,
    /** The flag could not be evaluated; the caller's default was returned. */
    ERROR
}
