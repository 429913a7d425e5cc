package dev.dimmer.sdk.eval;

import java.util.Map;

/**
 * What a rule (or the default rule) serves, with its results built in advance: one result for a
 * fixed treatment, or one per split arm plus the arms' cumulative upper bounds in basis points.
 * {@link #serve} returns null when the configuration cannot serve anything (no treatment, or a
 * bucket beyond weights that do not sum to 10000); the engine reports that as an error.
 */
final class CompiledServe {

    private final EvaluationResult fixed;
    private final int[] upperBounds;
    private final EvaluationResult[] arms;

    private CompiledServe(EvaluationResult fixed, int[] upperBounds, EvaluationResult[] arms) {
        this.fixed = fixed;
        this.upperBounds = upperBounds;
        this.arms = arms;
    }

    static CompiledServe fixed(EvaluationResult result) {
        return new CompiledServe(result, null, null);
    }

    static CompiledServe split(int[] upperBounds, EvaluationResult[] arms) {
        return new CompiledServe(null, upperBounds, arms);
    }

    /** A serve that cannot serve (neither a treatment nor a split). */
    static CompiledServe broken() {
        return new CompiledServe(null, new int[0], new EvaluationResult[0]);
    }

    EvaluationResult serve(String key, Map<String, ?> attributes, CompiledFlag flag) {
        if (fixed != null) {
            return fixed;
        }
        String bucketingKey = bucketingKey(key, attributes);
        if (bucketingKey == null) {
            return flag.notInSplit; // no identity to bucket: keep the key out of the experiment
        }
        if (!flag.inTraffic(bucketingKey)) {
            return flag.notInSplit;
        }
        int bucket = Bucketing.bucket(flag.seed, bucketingKey);
        for (int i = 0; i < upperBounds.length; i++) {
            if (bucket < upperBounds[i]) {
                return arms[i];
            }
        }
        return null;
    }

    /** The attribute {@code bucketingKey} when present, else the key (DESIGN.md §3). */
    private static String bucketingKey(String key, Map<String, ?> attributes) {
        Object override = attributes == null ? null : attributes.get("bucketingKey");
        return override == null ? key : AttributeValues.text(override);
    }
}
