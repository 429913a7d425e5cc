package dev.dimmer.sdk;

/**
 * A point-in-time copy of the client's counters (the same numbers the Micrometer meters show).
 * Dropped counts include items refused by a full queue, rejected by the server (400) and given up
 * after the last retry.
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
        long streamReconnects) {}
