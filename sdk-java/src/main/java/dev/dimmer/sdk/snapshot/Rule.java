package dev.dimmer.sdk.snapshot;

import java.util.List;

/** A targeting rule: when all its conditions hold, it serves. Rules are tried in order. */
public record Rule(String id, List<Condition> conditions, Serve serve) {

    public Rule {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
