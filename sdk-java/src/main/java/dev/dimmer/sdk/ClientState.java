package dev.dimmer.sdk;

/** Lifecycle of a {@link DimmerClient}, as seen by {@link DimmerClient#state()}. */
public enum ClientState {
    /** Started (or not yet), no snapshot yet and no failure yet. */
    NOT_READY,
    /** Evaluating with a snapshot that the server confirmed recently. */
    READY,
    /**
     * Evaluating with the last good snapshot (or the bootstrap file), but the server has not been
     * reachable for longer than the configured number of polling intervals.
     */
    STALE,
    /** Never ready, and the latest attempt failed (see {@link DimmerClient#lastFailure()}). */
    ERROR,
    /** {@link DimmerClient#close()} was called. */
    CLOSED
}
