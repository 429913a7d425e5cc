package dev.dimmer.sdk.snapshot;

import java.util.List;

/** Everything an SDK needs to evaluate every flag of one environment, as of {@code changeNumber}. */
public record Snapshot(
        String environment, long changeNumber, List<FlagConfig> flags, List<SegmentDefinition> segments) {

    public Snapshot {
        flags = flags == null ? List.of() : List.copyOf(flags);
        segments = segments == null ? List.of() : List.copyOf(segments);
    }
}
