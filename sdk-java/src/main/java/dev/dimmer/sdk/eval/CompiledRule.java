package dev.dimmer.sdk.eval;

import java.util.Map;

/** A rule ready to test: all conditions must hold, then it serves. */
record CompiledRule(CompiledCondition[] conditions, CompiledServe serve) {

    boolean matches(String key, Map<String, ?> attributes) {
        for (CompiledCondition condition : conditions) {
            if (!condition.holds(key, attributes)) {
                return false;
            }
        }
        return true;
    }
}
