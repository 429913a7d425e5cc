package dev.dimmer.server.ingest;

import java.time.Instant;

/** What a batch yields besides its COPY rows. */
final class Items {

    private Items() {}

    /** An accepted impression, as a candidate first exposure of {@code key} to {@code flag}'s {@code treatment}. */
    record Exposure(String flag, String key, String treatment, String label, Instant time) {}

    /** Which SDK sent the batch (optional). */
    record Sdk(String name, String version, String instanceId) {}

    /** An item refused by validation: its index in the array, the JSON pointer of the bad field, why. */
    record Rejection(int index, String pointer, String detail) {}
}
