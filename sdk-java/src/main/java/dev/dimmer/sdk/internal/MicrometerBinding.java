package dev.dimmer.sdk.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The only class that touches Micrometer. It is loaded only after {@link #available()} confirmed
 * that {@code io.micrometer.core.instrument.MeterRegistry} is on the class path.
 */
public final class MicrometerBinding {

    private static final String REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    private MicrometerBinding() {}

    /** Whether Micrometer is loadable, checked without linking this class. */
    public static boolean available(ClassLoader loader) {
        try {
            Class.forName(REGISTRY, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public static boolean isRegistry(Object candidate) {
        return candidate instanceof MeterRegistry;
    }

    /** Registers the meters; {@code snapshotAgeSeconds} is read on every scrape. */
    public static void bind(
            Object registry,
            Counters c,
            String instance,
            ToDoubleFunction<Object> snapshotAgeSeconds,
            Object ageSource) {
        MeterRegistry r = (MeterRegistry) registry;
        Tags tags = Tags.of("instance", instance);
        FunctionCounter.builder("dimmer.sdk.evaluations", c, Counters::evaluations)
                .description("Flag evaluations")
                .tags(tags)
                .register(r);
        counter(r, "dimmer.sdk.impressions.queued", "Impressions queued for sending", tags, c.impressionsQueued);
        counter(
                r,
                "dimmer.sdk.impressions.deduplicated",
                "Impressions skipped as duplicates within the hour",
                tags,
                c.impressionsDeduplicated);
        counter(
                r,
                "dimmer.sdk.impressions.dropped",
                "Impressions dropped (queue full, rejected, retries exhausted or unsent at close)",
                tags,
                c.impressionsDropped);
        counter(r, "dimmer.sdk.impressions.sent", "Impressions acknowledged by the server", tags, c.impressionsSent);
        counter(r, "dimmer.sdk.events.queued", "Events queued for sending", tags, c.eventsQueued);
        counter(
                r,
                "dimmer.sdk.events.dropped",
                "Events dropped (queue full, rejected, retries exhausted or unsent at close)",
                tags,
                c.eventsDropped);
        counter(r, "dimmer.sdk.events.sent", "Events acknowledged by the server", tags, c.eventsSent);
        counter(r, "dimmer.sdk.snapshot.fetches", "Snapshot requests", tags, c.snapshotFetches);
        counter(r, "dimmer.sdk.snapshot.failures", "Failed snapshot requests", tags, c.snapshotFailures);
        counter(r, "dimmer.sdk.snapshot.streamed", "Snapshots pushed in stream events", tags, c.snapshotsStreamed);
        counter(r, "dimmer.sdk.stream.reconnects", "Streaming reconnect attempts", tags, c.streamReconnects);
        counter(
                r,
                "dimmer.sdk.batches.throttled",
                "Batch posts the server asked to retry later (429, 503 with Retry-After); not dropped",
                tags,
                c.batchesThrottled);
        Gauge.builder("dimmer.sdk.snapshot.age", ageSource, snapshotAgeSeconds)
                .description("Seconds since the snapshot was last confirmed current")
                .baseUnit("seconds")
                .tags(tags)
                .register(r);
    }

    private static void counter(MeterRegistry r, String name, String description, Tags tags, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::doubleValue)
                .description(description)
                .tags(tags)
                .register(r);
    }
}
