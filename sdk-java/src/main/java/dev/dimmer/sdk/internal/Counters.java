package dev.dimmer.sdk.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The SDK's own counters, always kept (a {@link LongAdder} increment is a few nanoseconds and
 * never blocks). Micrometer, when present, reads them through function counters.
 */
public final class Counters {

    public final LongAdder evaluations = new LongAdder();
    public final LongAdder impressionsQueued = new LongAdder();
    public final LongAdder impressionsDeduplicated = new LongAdder();
    public final LongAdder impressionsDropped = new LongAdder();
    public final LongAdder impressionsSent = new LongAdder();
    public final LongAdder eventsQueued = new LongAdder();
    public final LongAdder eventsDropped = new LongAdder();
    public final LongAdder eventsSent = new LongAdder();
    public final LongAdder snapshotFetches = new LongAdder();
    public final LongAdder snapshotFailures = new LongAdder();
    public final LongAdder streamReconnects = new LongAdder();
    /** Batch posts the server answered with 429 (or 503 with Retry-After): waited out, not dropped. */
    public final LongAdder batchesThrottled = new LongAdder();
}
