package dev.dimmer.server.ingest;

import java.time.Instant;

/** The items of a batch, as validated. */
final class Items {

    private Items() {}

    /** {@code flag} got {@code treatment} for {@code key} by {@code label} at {@code time}. */
    record Impression(String flag, String key, String treatment, String label, Long changeNumber, Instant time) {}

    /** {@code properties} is the item's JSON object serialized, or null. */
    record Event(String key, String type, Double value, String properties, Instant time) {}

    /** Which SDK sent the batch (optional). */
    record Sdk(String name, String version, String instanceId) {}

    /** An item refused by validation: its index in the array, the JSON pointer of the bad field, why. */
    record Rejection(int index, String pointer, String detail) {}
}
