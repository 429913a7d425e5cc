package dev.dimmer.sdk.snapshot;

import java.util.List;

/**
 * A reusable audience in one environment: a key is in the segment when it is one of {@code keys},
 * or when {@code conditions} is not empty and all of them hold for the evaluation's attributes.
 */
public record SegmentDefinition(String key, List<String> keys, List<Condition> conditions) {

    public SegmentDefinition {
        keys = keys == null ? List.of() : List.copyOf(keys);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
