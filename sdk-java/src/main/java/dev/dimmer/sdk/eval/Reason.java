package dev.dimmer.sdk.eval;

/** STAND-IN (replaced by the real engine at merge time): why a treatment was served. */
public enum Reason {
    TARGETING_MATCH,
    SPLIT,
    DEFAULT,
    DISABLED,
    ERROR
}
