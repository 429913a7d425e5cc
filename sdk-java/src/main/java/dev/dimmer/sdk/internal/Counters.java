package dev.dimmer.sdk.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The SDK's own counters, always kept (a {@link LongAdder} increment is a few nanoseconds and
 * never blocks). Micrometer, when present, reads them through function counters.
 */
public final class Counters {

    /**
     * Evaluations that were not a deduplicated impression. A repeat impression, the hot path's common case, counts
     * only in {@link #impressionsDeduplicated}, so that an evaluation pays for one counter increment, not two; the
     * total is {@link #evaluations()}.
     */
    public final LongAdder evaluationsOther = new LongAdder();

    public final LongAdder impressionsQueued = new LongAdder();
    public final LongAdder impressionsDeduplicated = new LongAdder();
    public final LongAdder impressionsDropped = new LongAdder();
    public final LongAdder impressionsSent = new LongAdder();
    public final LongAdder eventsQueued = new LongAdder();
    public final LongAdder eventsDropped = new LongAdder();
    public final LongAdder eventsSent = new LongAdder();
    public final LongAdder snapshotFetches = new LongAdder();
    /** Snapshots that arrived inside a stream event, with no request (servers that push them). */
    public final LongAdder snapshotsStreamed = new LongAdder();

    public final LongAdder snapshotFailures = new LongAdder();
    public final LongAdder streamReconnects = new LongAdder();
    /** Batch posts the server answered with 429 (or 503 with Retry-After): waited out, not dropped. */
    public final LongAdder batchesThrottled = new LongAdder();

    /** Every evaluation ({@code getTreatment} call) so far. */
    public long evaluations() {
        return evaluationsOther.sum() + impressionsDeduplicated.sum();
    }
}
