package dev.dimmer.sdk.eval;

import static dev.dimmer.sdk.eval.Fixtures.cond;
import static dev.dimmer.sdk.eval.Fixtures.engine;
import static dev.dimmer.sdk.eval.Fixtures.flag;
import static dev.dimmer.sdk.eval.Fixtures.off;
import static dev.dimmer.sdk.eval.Fixtures.on;
import static dev.dimmer.sdk.eval.Fixtures.rule;
import static dev.dimmer.sdk.eval.Fixtures.split;
import static dev.dimmer.sdk.eval.Fixtures.withTraffic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.SegmentDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/** The consequences of DESIGN.md §3 that tests must pin: stickiness, monotonic ramps, no exceptions. */
class EvaluationPropertiesTests {

    private static final List<String> OPERATORS = List.of(
            "IN",
            "STARTS_WITH",
            "ENDS_WITH",
            "CONTAINS",
            "MATCHES",
            "EQ",
            "LT",
            "LTE",
            "GT",
            "GTE",
            "BEFORE",
            "AFTER",
            "SEMVER_EQ",
            "SEMVER_LT",
            "SEMVER_GT",
            "SEMVER_LTE",
            "SEMVER_GTE",
            "IN_CIDR",
            "IN_SEGMENT",
            "IS_TRUE",
            "BOGUS");

    @Property(tries = 200)
    void sameKey_alwaysGetsSameTreatment(
            @ForAll @AlphaChars @NumericChars @StringLength(max = 20) String key,
            @ForAll @IntRange(max = 10_000) int weight) {
        EvaluationEngine engine = engine(withTraffic(flag("f", split(weight)), 5000));
        EvaluationEngine recompiled = engine(withTraffic(flag("f", split(weight)), 5000));
        EvaluationResult first = engine.evaluate("f", key, Map.of(), "d");
        assertThat(engine.evaluate("f", key, Map.of(), "d")).isEqualTo(first);
        assertThat(recompiled.evaluate("f", key, Map.of(), "d")).isEqualTo(first);
    }

    @Property(tries = 200)
    void raisingFirstWeight_onlyMovesKeysIntoTheTreatment(
            @ForAll String key, @ForAll @IntRange(max = 10_000) int low, @ForAll @IntRange(max = 10_000) int high) {
        int a = Math.min(low, high);
        int b = Math.max(low, high);
        String before =
                engine(flag("f", split(a))).evaluate("f", key, Map.of(), "d").treatment();
        String after =
                engine(flag("f", split(b))).evaluate("f", key, Map.of(), "d").treatment();
        if (before.equals("on")) {
            assertThat(after).isEqualTo("on");
        }
    }

    @Property(tries = 200)
    void raisingTrafficAllocation_onlyAddsKeysToTheSplit(
            @ForAll String key, @ForAll @IntRange(max = 10_000) int low, @ForAll @IntRange(max = 10_000) int high) {
        int a = Math.min(low, high);
        int b = Math.max(low, high);
        EvaluationResult before = engine(withTraffic(flag("f", split(3000)), a)).evaluate("f", key, Map.of(), "d");
        EvaluationResult after = engine(withTraffic(flag("f", split(3000)), b)).evaluate("f", key, Map.of(), "d");
        if (!before.label().equals("not in split")) {
            assertThat(after).isEqualTo(before);
        }
    }

    @Provide
    Arbitrary<Object> attributeValues() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.integers(),
                Arbitraries.doubles(),
                Arbitraries.of(true, false),
                Arbitraries.longs().map(l -> Instant.ofEpochMilli(l % 4_000_000_000_000L)),
                Arbitraries.strings().ofMaxLength(6).list().ofMaxSize(3),
                Arbitraries.of("10.0.0.1", "::1", "1.2.3", "2024-01-01T00:00:00Z", "12.5", "NaN", "1.0.0-rc.1"),
                Arbitraries.just(new Object()));
    }

    @Provide
    Arbitrary<Map<String, Object>> attributeMaps() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of("a", "b", "key", "currentTime", "bucketingKey"),
                Arbitraries.strings().ofMaxLength(5));
        return Arbitraries.maps(names, attributeValues().injectNull(0.1)).ofMaxSize(6);
    }

    @Property(tries = 300)
    void arbitraryAttributes_neverThrow(
            @ForAll("attributeMaps") Map<String, Object> attributes,
            @ForAll @IntRange(min = 0, max = 20) int operatorIndex,
            @ForAll @StringLength(max = 8) String conditionValue,
            @ForAll boolean negate,
            @ForAll boolean nullKey) {
        String operator = OPERATORS.get(operatorIndex);
        var onA = new Condition("a", operator, List.of(conditionValue, "10.0.0.0/8"), negate, negate);
        var onKey = new Condition("key", operator, List.of(conditionValue), !negate, false);
        var onTime = new Condition("currentTime", operator, List.of("2024-01-01T00:00:00Z"), negate, false);
        var engine = engine(
                List.of(new SegmentDefinition("s", List.of("k"), List.of(cond("b", "IN", "x")))),
                flag(
                        "f",
                        split(5000),
                        rule("r", on(), onA),
                        rule("t", on(), onKey, onTime),
                        rule("s", off(), cond("b", "IN_SEGMENT", "s"))));
        EvaluationResult result = engine.evaluate("f", nullKey ? null : "k", attributes, "d");
        assertThat(result.treatment()).isNotNull();
        assertThat(result.reason()).isNotEqualTo(Reason.ERROR);
    }
}
