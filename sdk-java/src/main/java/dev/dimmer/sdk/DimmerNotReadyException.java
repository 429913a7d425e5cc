package dev.dimmer.sdk;

/**
 * Thrown by {@link DimmerClient#awaitReady(java.time.Duration)} when the client has no snapshot to
 * evaluate with. The message names the real cause (refused key, unreachable server, unparsable
 * snapshot…); {@link #cause()} gives it as data. Stackless: it is an expected outcome.
 */
public final class DimmerNotReadyException extends RuntimeException {

    /** Why the client is not ready. */
    public enum Cause {
        /** No snapshot request has finished yet. */
        PENDING,
        /** The server answered 401 or 403: the SDK key is wrong or revoked. Retrying will not help. */
        UNAUTHORIZED,
        /** No HTTP answer: connection refused, DNS failure, timeout. */
        UNREACHABLE,
        /** The server answered with a status other than 200, 304, 401 or 403. */
        SERVER_ERROR,
        /** The server (or the bootstrap file) sent a snapshot that could not be parsed. */
        INVALID_SNAPSHOT,
        /** The client was closed. */
        CLOSED
    }

    private final Cause cause;

    public DimmerNotReadyException(Cause cause, String message) {
        super(message, null, false, false);
        this.cause = cause;
    }

    public Cause cause() {
        return cause;
    }
}
