package dev.dimmer.sdk.snapshot;

import java.util.List;

/**
 * What a rule serves: either one fixed {@code treatment} or a weighted {@code split} (basis points
 * summing to 10000). Exactly one of the two is set.
 */
public record Serve(String treatment, List<Split> split) {

    public Serve {
        split = split == null ? null : List.copyOf(split);
    }

    public static Serve fixed(String treatment) {
        return new Serve(treatment, null);
    }

    public static Serve split(List<Split> split) {
        return new Serve(null, split);
    }

    /** Named {@code has…}, not {@code is…}, so JSON binders do not mistake it for a property. */
    public boolean hasSplit() {
        return split != null;
    }
}
