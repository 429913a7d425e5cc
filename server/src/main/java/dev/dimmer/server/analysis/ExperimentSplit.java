package dev.dimmer.server.analysis;

import dev.dimmer.sdk.snapshot.Split;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The randomisation a flag's experiment compares: the split whose users are analysed, identified by the label the SDK
 * gives its impressions. Users whose first exposure carried another label (a fixed rule, a prerequisite, the off
 * treatment outside the traffic allocation, a kill) were not randomised by it and never enter a comparison.
 *
 * @param source {@code defaultServe}, {@code rule:<id>}, or {@code none} when the flag serves no split here
 * @param label the impression label of the split's users, or null without a split
 * @param weights the split's weight per treatment (basis points), in the split's order; empty without a split
 */
public record ExperimentSplit(String source, String label, Map<String, Integer> weights) {

    /** A flag that serves no split in the environment: nobody is randomised. */
    public static final ExperimentSplit NONE = new ExperimentSplit("none", null, Map.of());

    public ExperimentSplit {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    }

    static ExperimentSplit of(String source, String label, List<Split> arms) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (Split arm : arms) {
            if (arm != null && arm.treatment() != null) {
                weights.merge(arm.treatment(), Math.max(0, arm.weight()), Integer::sum);
            }
        }
        return new ExperimentSplit(source, label, weights);
    }

    /** Whether the flag serves a split here (else there is nothing randomised to compare). */
    public boolean exists() {
        return label != null;
    }
}
