package dev.dimmer.sdk.eval;

import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import java.util.List;
import java.util.Set;

/** STAND-IN until the evaluation engine lands. */
public final class ConfigValidator {

    private ConfigValidator() {}

    public static List<Violation> validate(FlagConfig config, Set<String> knownSegmentKeys) {
        return List.of();
    }

    public static List<Violation> validateConditions(
            List<Condition> conditions, String pointerPrefix, Set<String> knownSegmentKeys) {
        return List.of();
    }
}
