package dev.dimmer.sdk.eval;

/** What went wrong when an evaluation's reason is {@link Reason#ERROR}. */
public enum ErrorCode {
    /** The snapshot has no flag with that key. */
    FLAG_NOT_FOUND,
    /** Anything else: the configuration could not serve a treatment, or an attribute misbehaved. */
    GENERAL
}
