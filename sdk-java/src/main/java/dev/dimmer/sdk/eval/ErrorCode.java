package dev.dimmer.sdk.eval;

/** STAND-IN (replaced by the real engine at merge time): why an evaluation failed. */
public enum ErrorCode {
    FLAG_NOT_FOUND,
    GENERAL
}
