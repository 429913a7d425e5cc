package dev.dimmer.sdk.eval;

import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compiles one {@link FlagConfig} into a {@link CompiledFlag}: conditions through the shared
 * {@link ConditionCompiler}, and every result that does not depend on the caller built now, so
 * that evaluation only picks a prebuilt object.
 */
final class FlagCompiler {

    private final long changeNumber;
    private final ConditionCompiler conditions;
    private final Canonicalizer canonical;

    FlagCompiler(long changeNumber, ConditionCompiler conditions, Canonicalizer canonical) {
        this.changeNumber = changeNumber;
        this.conditions = conditions;
        this.canonical = canonical;
    }

    CompiledFlag compile(FlagConfig flag) {
        Map<String, Object> configs = new HashMap<>();
        for (Treatment treatment : flag.treatments()) {
            if (treatment != null && treatment.name() != null) {
                configs.putIfAbsent(treatment.name(), treatment.config());
            }
        }
        Results results = new Results(flag.key(), changeNumber, configs);
        String off = flag.offTreatment();
        EvaluationResult disabled = !flag.enabled()
                ? results.of(off, Labels.FLAG_OFF, Reason.DISABLED, null)
                : flag.killed() ? results.of(off, Labels.KILLED, Reason.DISABLED, null) : null;
        CompiledPrerequisite[] prerequisites = flag.prerequisites().stream()
                .filter(Objects::nonNull)
                .map(p -> prerequisite(p, results, off))
                .toArray(CompiledPrerequisite[]::new);
        CompiledRule[] rules = flag.rules().stream()
                .filter(Objects::nonNull)
                .map(rule -> rule(rule, results))
                .toArray(CompiledRule[]::new);
        CompiledServe defaultServe = serve(flag.defaultServe(), results, Labels.DEFAULT_RULE, Reason.DEFAULT, null);
        EvaluationResult notInSplit = results.of(off, Labels.NOT_IN_SPLIT, Reason.DEFAULT, null);
        return new CompiledFlag(flag, disabled, prerequisites, rules, defaultServe, notInSplit);
    }

    private CompiledPrerequisite prerequisite(Prerequisite prerequisite, Results results, String off) {
        Set<String> treatments = new HashSet<>(prerequisite.treatments());
        treatments.remove(null);
        EvaluationResult notMet = results.of(
                off, canonical.canonical(Labels.prerequisiteNotMet(prerequisite.flag())), Reason.DISABLED, null);
        return new CompiledPrerequisite(prerequisite.flag(), Set.copyOf(treatments), notMet);
    }

    private CompiledRule rule(Rule rule, Results results) {
        CompiledServe serve = serve(
                rule.serve(), results, canonical.canonical(Labels.rule(rule.id())), Reason.TARGETING_MATCH, rule.id());
        return new CompiledRule(conditions.compileAll(rule.conditions()), serve);
    }

    private static CompiledServe serve(Serve serve, Results results, String label, Reason fixedReason, String ruleId) {
        if (serve == null || (serve.treatment() == null) == (serve.split() == null)) {
            return CompiledServe.broken();
        }
        if (serve.treatment() != null) {
            return CompiledServe.fixed(results.of(serve.treatment(), label, fixedReason, ruleId));
        }
        List<Split> arms = serve.split().stream().filter(Objects::nonNull).toList();
        int[] upperBounds = new int[arms.size()];
        EvaluationResult[] served = new EvaluationResult[arms.size()];
        int upper = 0;
        for (int i = 0; i < upperBounds.length; i++) {
            upper = (int) Math.min(
                    Integer.MAX_VALUE, (long) upper + Math.max(0, arms.get(i).weight()));
            upperBounds[i] = upper;
            served[i] = results.of(arms.get(i).treatment(), label, Reason.SPLIT, ruleId);
        }
        return CompiledServe.split(upperBounds, served);
    }

    /** Builds the flag's results; the treatment's config comes from the flag's treatment list. */
    private record Results(String flag, long changeNumber, Map<String, Object> configs) {
        EvaluationResult of(String treatment, String label, Reason reason, String ruleId) {
            Object config = treatment == null ? null : configs.get(treatment);
            return new EvaluationResult(flag, treatment, config, label, reason, ruleId, changeNumber, null);
        }
    }
}
