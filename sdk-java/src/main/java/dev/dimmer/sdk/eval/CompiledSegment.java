package dev.dimmer.sdk.eval;

import java.util.Map;
import java.util.Set;

/**
 * A segment ready to test: a hash set of its explicit keys, and its conditions (all must hold; an
 * empty list never admits anyone, so a key-list segment is not accidentally "everyone").
 */
final class CompiledSegment {

    /** What an unknown segment key compiles to: nobody is in it. */
    static final CompiledSegment EMPTY = new CompiledSegment(Set.of(), new CompiledCondition[0]);

    private final Set<String> keys;
    private final CompiledCondition[] conditions;

    CompiledSegment(Set<String> keys, CompiledCondition[] conditions) {
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
