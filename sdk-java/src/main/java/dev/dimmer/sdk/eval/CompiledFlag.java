package dev.dimmer.sdk.eval;

import dev.dimmer.sdk.snapshot.FlagConfig;
import java.util.Map;

/**
 * One flag ready to evaluate: DESIGN.md §3 steps 2–6 over precompiled rules and precomputed
 * results. Immutable; every field is final and set by {@link FlagCompiler}.
 */
final class CompiledFlag {

    /** Prerequisite chains deeper than this are treated as not met (cycles are refused on save). */
    static final int MAX_PREREQUISITE_DEPTH = 16;

    /** The flag as received, canonicalised ({@link Canonicalizer}): what {@code flag()} answers. */
    final FlagConfig config;
    /** The "flag off" or "killed" result, or null when the flag is on. */
    final EvaluationResult disabled;

    final CompiledPrerequisite[] prerequisites;
    final CompiledRule[] rules;
    final CompiledServe defaultServe;
    final EvaluationResult notInSplit;
    final int trafficAllocation;
    final int trafficSeed;
    final int seed;

    CompiledFlag(
            FlagConfig config,
            EvaluationResult disabled,
            CompiledPrerequisite[] prerequisites,
            CompiledRule[] rules,
            CompiledServe defaultServe,
            EvaluationResult notInSplit) {
        this.config = config;
        this.disabled = disabled;
        this.prerequisites = prerequisites;
        this.rules = rules;
        this.defaultServe = defaultServe;
        this.notInSplit = notInSplit;
        this.trafficAllocation = config.trafficAllocation();
        this.trafficSeed = config.trafficSeed();
        this.seed = config.seed();
    }

    /** The result for {@code key}, or null when the configuration cannot serve one. */
    EvaluationResult evaluate(String key, Map<String, ?> attributes, Map<String, CompiledFlag> flags, int depth) {
        if (disabled != null) {
            return disabled;
        }
        for (CompiledPrerequisite prerequisite : prerequisites) {
            if (!met(prerequisite, key, attributes, flags, depth)) {
                return prerequisite.notMet();
            }
        }
        for (CompiledRule rule : rules) {
            if (rule.matches(key, attributes)) {
                return rule.serve().serve(key, attributes, this);
            }
        }
        return defaultServe.serve(key, attributes, this);
    }

    /** The traffic gate: whether {@code bucketingKey} is inside {@code trafficAllocation}. */
    boolean inTraffic(String bucketingKey) {
        if (trafficAllocation >= Bucketing.BUCKETS) {
            return true; // every bucket is below 10000: skip the hash
        }
        return Bucketing.bucket(trafficSeed, bucketingKey) < trafficAllocation;
    }

    private static boolean met(
            CompiledPrerequisite prerequisite,
            String key,
            Map<String, ?> attributes,
            Map<String, CompiledFlag> flags,
            int depth) {
        CompiledFlag required = flags.get(prerequisite.flag());
        if (required == null || depth >= MAX_PREREQUISITE_DEPTH) {
            return false;
        }
        EvaluationResult result = required.evaluate(key, attributes, flags, depth + 1);
        return result != null
                && result.treatment() != null
                && prerequisite.treatments().contains(result.treatment());
    }
}
