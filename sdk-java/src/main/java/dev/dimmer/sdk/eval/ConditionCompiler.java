package dev.dimmer.sdk.eval;

import com.google.re2j.Pattern;
import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.SegmentDefinition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns wire conditions into {@link CompiledCondition}s, parsing every value once. Values that do
 * not parse for their operator are dropped (a valid CIDR still matches beside an invalid one, as
 * the Unleash conformance cases require); a condition left with no usable value although it had
 * some, or with an unknown operator, never holds, even negated: a broken rule must not widen an
 * audience. The server refuses both on save, so this only guards old SDKs against new servers.
 */
final class ConditionCompiler {

    private final Clock clock;
    private final Canonicalizer canonical;
    private final Map<String, SegmentDefinition> definitions = new HashMap<>();
    private final Map<String, CompiledSegment> segments = new HashMap<>();
    private final Set<String> compiling = new HashSet<>();
    /**
     * Compiled conditions by canonical condition: a condition used by many flags (the same country
     * list, the same segment) is compiled once and shared, which is safe because a compiled
     * condition is immutable and holds nothing of the flag that uses it.
     */
    private final Map<Condition, CompiledCondition> compiled = new IdentityHashMap<>();
    /** Compiled condition lists by canonical list, shared the same way. */
    private final Map<List<Condition>, CompiledCondition[]> compiledLists = new IdentityHashMap<>();

    ConditionCompiler(List<SegmentDefinition> segmentDefinitions, Clock clock, Canonicalizer canonical) {
        this.clock = clock;
        this.canonical = canonical;
        for (SegmentDefinition definition : segmentDefinitions) {
            if (definition != null && definition.key() != null) {
                definitions.put(definition.key(), definition);
            }
        }
    }

    /** Compiles a rule's (or segment's) conditions; equal lists share one array, never written. */
    CompiledCondition[] compileAll(List<Condition> conditions) {
        List<Condition> key = canonical.conditions(conditions);
        CompiledCondition[] done = compiledLists.get(key);
        if (done != null) {
            return done;
        }
        CompiledCondition[] compiled = new CompiledCondition[key.size()];
        for (int i = 0; i < compiled.length; i++) {
            compiled[i] = compile(key.get(i));
        }
        if (compiling.isEmpty()) { // as in compile: nothing compiled inside a half-built segment
            compiledLists.put(key, compiled);
        }
        return compiled;
    }

    /** Compiles {@code condition}, once per distinct condition of the snapshot. */
    CompiledCondition compile(Condition condition) {
        Condition key = canonical.condition(condition);
        CompiledCondition done = key == null ? null : compiled.get(key);
        if (done != null) {
            return done;
        }
        CompiledCondition result = compileOnce(key);
        // A segment condition compiled inside a segment's own definition may have met that segment
        // half-built (a cycle compiles to EMPTY): only what was compiled outside any segment is shared.
        if (key != null && compiling.isEmpty()) {
            compiled.put(key, result);
        }
        return result;
    }

    private CompiledCondition compileOnce(Condition condition) {
        if (condition == null) {
            return CompiledCondition.NEVER;
        }
        Operator operator = Operator.of(condition.operator());
        if (operator == null) {
            return CompiledCondition.NEVER;
        }
        if (operator == Operator.IN_SEGMENT) {
            return inSegment(condition);
        }
        if (condition.attribute() == null) {
            return CompiledCondition.NEVER;
        }
        List<Object> values = new ArrayList<>();
        for (String raw : condition.values()) {
            Object parsed = operator.parseValue(raw, condition.caseInsensitive());
            if (parsed != null) {
                values.add(parsed);
            }
        }
        if (values.isEmpty() && !condition.values().isEmpty()) {
            return CompiledCondition.NEVER;
        }
        ValueMatcher matcher = matcher(operator, condition.values(), values, condition.caseInsensitive());
        Clock now = "currentTime".equals(condition.attribute()) ? clock : null;
        return new CompiledCondition.OnAttribute(condition.attribute(), matcher, condition.negate(), now);
    }

    private ValueMatcher matcher(Operator operator, List<String> raw, List<Object> values, boolean caseInsensitive) {
        return switch (operator.kind) {
            case TEXT ->
                operator == Operator.IN
                        ? new ValueMatcher.In(textSet(raw, values, caseInsensitive), caseInsensitive)
                        : new ValueMatcher.Affix(operator, values.toArray(String[]::new), caseInsensitive);
            case REGEX -> new ValueMatcher.Regex(values.toArray(Pattern[]::new));
            case NUMBER ->
                new ValueMatcher.Numeric(
                        operator, values.stream().mapToDouble(v -> (Double) v).toArray());
            case DATE -> new ValueMatcher.Temporal(operator == Operator.AFTER, values.toArray(Instant[]::new));
            case SEMVER -> new ValueMatcher.Version(operator, values.toArray(Semver[]::new));
            case CIDR -> new ValueMatcher.Cidr(values.toArray(IpRange[]::new));
            case NONE -> new ValueMatcher.IsTrue();
            case SEGMENT -> throw new IllegalStateException("IN_SEGMENT is compiled separately");
        };
    }

    /**
     * The IN values as a {@link KeySet} over the condition's canonical list, which the flag's
     * {@code FlagConfig} keeps anyway; lower-cased into a list of its own when case-insensitive.
     */
    private KeySet textSet(List<String> raw, List<Object> values, boolean caseInsensitive) {
        if (!caseInsensitive && values.size() == raw.size()) {
            return KeySet.of(raw); // every value parsed as itself: TEXT values are never dropped
        }
        String[] keys = new String[values.size()];
        for (int i = 0; i < keys.length; i++) {
            String text = (String) values.get(i);
            keys[i] = caseInsensitive ? canonical.canonical(text.toLowerCase(Locale.ROOT)) : text;
        }
        return KeySet.of(canonical.strings(List.of(keys)));
    }

    private CompiledCondition inSegment(Condition condition) {
        List<CompiledSegment> named = new ArrayList<>();
        for (String segmentKey : condition.values()) {
            named.add(segment(segmentKey));
        }
        return new CompiledCondition.InSegment(
                condition.attribute(), named.toArray(CompiledSegment[]::new), condition.negate());
    }

    /**
     * The compiled segment named {@code key}. An unknown segment, or one that refers back to itself
     * through its conditions, is empty: such a reference can never admit anyone.
     */
    private CompiledSegment segment(String key) {
        CompiledSegment done = segments.get(key);
        if (done != null) {
            return done;
        }
        SegmentDefinition definition = definitions.get(key);
        if (definition == null || !compiling.add(key)) {
            return CompiledSegment.EMPTY;
        }
        KeySet keys = KeySet.of(canonical.strings(definition.keys()));
        CompiledSegment segment = new CompiledSegment(keys, compileAll(definition.conditions()));
        compiling.remove(key);
        segments.put(key, segment);
        return segment;
    }
}
