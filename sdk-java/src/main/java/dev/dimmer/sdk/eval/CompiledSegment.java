package dev.dimmer.sdk.eval;

import java.util.Map;

/**
 * A segment ready to test: a {@link KeySet} of its explicit keys, and its conditions (all must hold; an
 * empty list never admits anyone, so a key-list segment is not accidentally "everyone").
 */
final class CompiledSegment {

    /** What an unknown segment key compiles to: nobody is in it. */
    static final CompiledSegment EMPTY = new CompiledSegment(KeySet.EMPTY, new CompiledCondition[0]);

    private final KeySet keys;
    private final CompiledCondition[] conditions;

    CompiledSegment(KeySet keys, CompiledCondition[] conditions) {
        this.keys = keys;
        this.conditions = conditions;
    }

    boolean contains(String member, String key, Map<String, ?> attributes) {
        if (member != null && keys.contains(member)) {
            return true;
        }
        if (conditions.length == 0) {
            return false;
        }
        for (CompiledCondition condition : conditions) {
            if (!condition.holds(key, attributes)) {
                return false;
            }
        }
        return true;
    }
}
