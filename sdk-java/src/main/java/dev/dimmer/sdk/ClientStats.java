package dev.dimmer.sdk;

/**
 * A point-in-time copy of the client's counters (the same numbers the Micrometer meters show).
 * Dropped counts include items refused by a full queue, rejected by the server (400), given up
 * after the last retry of a failing request, and left unsent when {@code close()} timed out.
 * {@code batchesThrottled} counts batch posts the server answered with 429 (or 503 with {@code
 * Retry-After}); those batches are waited out and resent, never dropped for it. {@code snapshotFetches} counts
 * snapshot requests; {@code snapshotsStreamed} counts snapshots the server pushed inside stream events, which need
 * no request.
 */
public record ClientStats(
        long evaluations,
        long impressionsQueued,
        long impressionsDeduplicated,
        long impressionsDropped,
        long impressionsSent,
        long eventsQueued,
        long eventsDropped,
        long eventsSent,
        long snapshotFetches,
        long snapshotFailures,
        long streamReconnects,
        long batchesThrottled,
        long snapshotsStreamed) {}
