package dev.dimmer.sdk.eval;

import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces equal values of one snapshot by one instance, so that an engine keeps one copy of each.
 *
 * <p>A JSON parser makes a new {@code String} for every occurrence of {@code "on"}, {@code "IN"},
 * {@code "country"}, a rule id or a user key listed in many flags, and a new record for every
 * occurrence of an identical condition, rule or serve. Across 10 000 flags these copies were most
 * of an engine's heap (docs/performance.md, "SDK heap for 10 000 flags"). One instance of this
 * class lives for one {@link EvaluationEngine#compile} and is dropped after it, so it pins nothing
 * and needs no weak references; {@link String#intern} is not used because it would keep every key
 * of every snapshot for the life of the JVM.
 *
 * <p>Everything it returns is equal to its argument, so {@link EvaluationEngine#flag} still answers
 * a {@link FlagConfig} equal to the one received. Records and lists are immutable and shared
 * freely. A treatment's {@code config} is the one mutable value a caller receives (in every
 * {@link EvaluationResult}); its strings are canonicalised, but the map or list itself is copied
 * per flag and never shared between flags, as before.
 */
final class Canonicalizer {

    private final Map<Object, Object> seen = new HashMap<>();

    /** The first value seen equal to {@code value}, or {@code value} itself; null stays null. */
    @SuppressWarnings("unchecked")
    <T> T canonical(T value) {
        if (value == null) {
            return null;
        }
        Object known = seen.putIfAbsent(value, value);
        return known == null ? value : (T) known;
    }

    /** The flag with every part canonicalised; equal to {@code flag}. */
    FlagConfig flag(FlagConfig flag) {
        return new FlagConfig(
                canonical(flag.key()),
                treatments(flag.treatments()),
                flag.enabled(),
                flag.killed(),
                canonical(flag.offTreatment()),
                rules(flag.rules()),
                serve(flag.defaultServe()),
                flag.trafficAllocation(),
                flag.seed(),
                flag.trafficSeed(),
                prerequisites(flag.prerequisites()),
                flag.version());
    }

    /** The list with canonical elements, itself canonical: an equal list is stored once. */
    @SuppressWarnings("unchecked")
    List<String> strings(List<String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        Object known = seen.get(values);
        if (known != null) {
            return (List<String>) known;
        }
        String[] copy = new String[values.size()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = canonical(values.get(i));
        }
        return canonical(List.of(copy)); // the records' lists never hold null (List.copyOf)
    }

    Condition condition(Condition condition) {
        if (condition == null) {
            return null;
        }
        return canonical(new Condition(
                canonical(condition.attribute()),
                canonical(condition.operator()),
                strings(condition.values()),
                condition.negate(),
                condition.caseInsensitive()));
    }

    List<Condition> conditions(List<Condition> conditions) {
        if (conditions.isEmpty()) {
            return List.of();
        }
        Condition[] copy = new Condition[conditions.size()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = condition(conditions.get(i));
        }
        return canonical(List.of(copy));
    }

    private List<Rule> rules(List<Rule> rules) {
        if (rules.isEmpty()) {
            return List.of();
        }
        Rule[] copy = new Rule[rules.size()];
        for (int i = 0; i < copy.length; i++) {
            Rule rule = rules.get(i);
            copy[i] = canonical(new Rule(canonical(rule.id()), conditions(rule.conditions()), serve(rule.serve())));
        }
        return canonical(List.of(copy));
    }

    private Serve serve(Serve serve) {
        if (serve == null) {
            return null;
        }
        List<Split> split = null;
        if (serve.split() != null) {
            Split[] copy = new Split[serve.split().size()];
            for (int i = 0; i < copy.length; i++) {
                Split arm = serve.split().get(i);
                copy[i] = canonical(new Split(canonical(arm.treatment()), arm.weight()));
            }
            split = canonical(List.of(copy));
        }
        return canonical(new Serve(canonical(serve.treatment()), split));
    }

    private List<Prerequisite> prerequisites(List<Prerequisite> prerequisites) {
        if (prerequisites.isEmpty()) {
            return List.of();
        }
        Prerequisite[] copy = new Prerequisite[prerequisites.size()];
        for (int i = 0; i < copy.length; i++) {
            Prerequisite p = prerequisites.get(i);
            copy[i] = canonical(new Prerequisite(canonical(p.flag()), strings(p.treatments())));
        }
        return canonical(List.of(copy));
    }

    private List<Treatment> treatments(List<Treatment> treatments) {
        if (treatments.isEmpty()) {
            return List.of();
        }
        Treatment[] copy = new Treatment[treatments.size()];
        boolean configured = false;
        for (int i = 0; i < copy.length; i++) {
            Treatment t = treatments.get(i);
            Treatment named = new Treatment(canonical(t.name()), canonical(t.description()), config(t.config()));
            configured |= t.config() != null;
            copy[i] = t.config() == null ? canonical(named) : named; // a config is never shared
        }
        List<Treatment> list = List.of(copy);
        return configured ? list : canonical(list);
    }

    /**
     * A treatment config with canonical strings. The JSON parser's own containers ({@link
     * LinkedHashMap}, {@link ArrayList}) are copied into the same types; anything else is kept as
     * given, so a caller's own (perhaps immutable) config is returned unchanged.
     */
    private Object config(Object value) {
        if (value instanceof String text) {
            return canonical(text);
        }
        if (value != null && value.getClass() == LinkedHashMap.class) {
            Map<?, ?> map = (Map<?, ?>) value;
            Map<Object, Object> copy = new LinkedHashMap<>((int) (map.size() / 0.75f) + 1);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                copy.put(config(e.getKey()), config(e.getValue()));
            }
            return copy;
        }
        if (value != null && value.getClass() == ArrayList.class) {
            List<?> list = (List<?>) value;
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(config(element));
            }
            return copy;
        }
        return value;
    }
}
