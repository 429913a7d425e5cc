package dev.dimmer.sdk.eval;

import static dev.dimmer.sdk.eval.Fixtures.CHANGE_NUMBER;
import static dev.dimmer.sdk.eval.Fixtures.cond;
import static dev.dimmer.sdk.eval.Fixtures.engine;
import static dev.dimmer.sdk.eval.Fixtures.flag;
import static dev.dimmer.sdk.eval.Fixtures.off;
import static dev.dimmer.sdk.eval.Fixtures.on;
import static dev.dimmer.sdk.eval.Fixtures.rule;
import static dev.dimmer.sdk.eval.Fixtures.split;
import static dev.dimmer.sdk.eval.Fixtures.withPrerequisites;
import static dev.dimmer.sdk.eval.Fixtures.withState;
import static dev.dimmer.sdk.eval.Fixtures.withTraffic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluationEngineTests {

    private static final Map<String, Object> NONE = Map.of();

    @Test
    void evaluate_unknownFlag_returnsCallersDefaultWithFlagNotFound() {
        EvaluationResult r = engine().evaluate("missing", "u1", NONE, "fallback");
        assertThat(r)
                .isEqualTo(new EvaluationResult(
                        "missing",
                        "fallback",
                        null,
                        "flag not found",
                        Reason.ERROR,
                        null,
                        CHANGE_NUMBER,
                        ErrorCode.FLAG_NOT_FOUND));
    }

    @Test
    void evaluate_nullFlagKey_isFlagNotFound() {
        assertThat(engine().evaluate(null, "u1", NONE, "d").errorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    }

    @Test
    void evaluate_disabledFlag_servesOffTreatment() {
        EvaluationResult r = engine(withState(flag("f", on()), false, false)).evaluate("f", "u1", NONE, "d");
        assertThat(r)
                .isEqualTo(
                        new EvaluationResult("f", "off", null, "flag off", Reason.DISABLED, null, CHANGE_NUMBER, null));
    }

    @Test
    void evaluate_killedFlag_servesOffTreatment() {
        EvaluationResult r = engine(withState(flag("f", on()), true, true)).evaluate("f", "u1", NONE, "d");
        assertThat(r.treatment()).isEqualTo("off");
        assertThat(r.label()).isEqualTo("killed");
        assertThat(r.reason()).isEqualTo(Reason.DISABLED);
    }

    @Test
    void evaluate_disabledAndKilled_saysFlagOff() {
        assertThat(engine(withState(flag("f", on()), false, true))
                        .evaluate("f", "u", NONE, "d")
                        .label())
                .isEqualTo("flag off");
    }

    @Test
    void evaluate_prerequisiteNotMet_servesOffTreatment() {
        FlagConfig parent = flag("parent", off());
        FlagConfig child = withPrerequisites(flag("child", on()), new Prerequisite("parent", List.of("on")));
        EvaluationResult r = engine(parent, child).evaluate("child", "u1", NONE, "d");
        assertThat(r.treatment()).isEqualTo("off");
        assertThat(r.label()).isEqualTo("prerequisite not met: parent");
        assertThat(r.reason()).isEqualTo(Reason.DISABLED);
    }

    @Test
    void evaluate_prerequisiteMet_continuesToRules() {
        FlagConfig parent = flag("parent", on());
        FlagConfig child = withPrerequisites(flag("child", on()), new Prerequisite("parent", List.of("on")));
        assertThat(engine(parent, child).evaluate("child", "u1", NONE, "d").label())
                .isEqualTo("default rule");
    }

    @Test
    void evaluate_prerequisiteUsesSameKeyAndAttributes() {
        FlagConfig parent = flag("parent", off(), rule("beta", on(), cond("plan", "IN", "beta")));
        FlagConfig child = withPrerequisites(flag("child", on()), new Prerequisite("parent", List.of("on")));
        EvaluationEngine engine = engine(parent, child);
        assertThat(engine.evaluate("child", "u1", Map.of("plan", "beta"), "d").treatment())
                .isEqualTo("on");
        assertThat(engine.evaluate("child", "u1", Map.of("plan", "free"), "d").treatment())
                .isEqualTo("off");
    }

    @Test
    void evaluate_missingPrerequisiteFlag_isNotMet() {
        FlagConfig child = withPrerequisites(flag("child", on()), new Prerequisite("ghost", List.of("on")));
        assertThat(engine(child).evaluate("child", "u1", NONE, "d").label()).isEqualTo("prerequisite not met: ghost");
    }

    @Test
    void evaluate_prerequisiteCycle_isNotMetInsteadOfOverflowing() {
        FlagConfig a = withPrerequisites(flag("a", on()), new Prerequisite("b", List.of("on")));
        FlagConfig b = withPrerequisites(flag("b", on()), new Prerequisite("a", List.of("on")));
        EvaluationResult r = engine(a, b).evaluate("a", "u1", NONE, "d");
        assertThat(r.reason()).isEqualTo(Reason.DISABLED);
        assertThat(r.label()).isEqualTo("prerequisite not met: b");
    }

    @Test
    void evaluate_firstMatchingFixedRule_isTargetingMatchWithConfig() {
        FlagConfig f = flag("f", off(), rule("r1", on(), cond("country", "IN", "NO")), rule("r2", off()));
        EvaluationResult r = engine(f).evaluate("f", "u1", Map.of("country", "NO"), "d");
        assertThat(r)
                .isEqualTo(new EvaluationResult(
                        "f",
                        "on",
                        Map.of("color", "blue"),
                        "rule:r1",
                        Reason.TARGETING_MATCH,
                        "r1",
                        CHANGE_NUMBER,
                        null));
    }

    @Test
    void evaluate_rulesInOrder_firstMatchWins() {
        FlagConfig f = flag("f", off(), rule("r1", off(), cond("country", "IN", "SE")), rule("r2", on()));
        assertThat(engine(f).evaluate("f", "u1", Map.of("country", "NO"), "d").ruleId())
                .isEqualTo("r2");
    }

    @Test
    void evaluate_ruleNeedsAllConditions() {
        FlagConfig f = flag("f", off(), rule("r1", on(), cond("country", "IN", "NO"), cond("plan", "IN", "pro")));
        EvaluationEngine engine = engine(f);
        assertThat(engine.evaluate("f", "u", Map.of("country", "NO"), "d").label())
                .isEqualTo("default rule");
        assertThat(engine.evaluate("f", "u", Map.of("country", "NO", "plan", "pro"), "d")
                        .label())
                .isEqualTo("rule:r1");
    }

    @Test
    void evaluate_noRuleMatches_defaultFixed_isDefault() {
        EvaluationResult r = engine(flag("f", off())).evaluate("f", "u1", NONE, "d");
        assertThat(r)
                .isEqualTo(new EvaluationResult(
                        "f", "off", null, "default rule", Reason.DEFAULT, null, CHANGE_NUMBER, null));
    }

    @Test
    void evaluate_splitRule_isSplitWithRuleLabel() {
        FlagConfig f = flag("f", off(), rule("exp", split(10_000)));
        EvaluationResult r = engine(f).evaluate("f", "u1", NONE, "d");
        assertThat(r.treatment()).isEqualTo("on");
        assertThat(r.reason()).isEqualTo(Reason.SPLIT);
        assertThat(r.label()).isEqualTo("rule:exp");
        assertThat(r.ruleId()).isEqualTo("exp");
    }

    @Test
    void evaluate_defaultSplit_isSplitWithDefaultLabel() {
        EvaluationResult r = engine(flag("f", split(0))).evaluate("f", "u1", NONE, "d");
        assertThat(r.treatment()).isEqualTo("off");
        assertThat(r.reason()).isEqualTo(Reason.SPLIT);
        assertThat(r.label()).isEqualTo("default rule");
        assertThat(r.ruleId()).isNull();
    }

    @Test
    void evaluate_split_servesArmByBucket() {
        FlagConfig f = flag("f", Serve.split(List.of(new Split("on", 5000), new Split("off", 5000))));
        EvaluationEngine engine = engine(f);
        for (String key : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            String expected = Bucketing.bucket(7, key) < 5000 ? "on" : "off";
            assertThat(engine.evaluate("f", key, NONE, "d").treatment()).as(key).isEqualTo(expected);
        }
    }

    @Test
    void evaluate_trafficGate_outsideAllocation_isNotInSplit() {
        EvaluationResult r = engine(withTraffic(flag("f", split(10_000)), 0)).evaluate("f", "u1", NONE, "d");
        assertThat(r)
                .isEqualTo(new EvaluationResult(
                        "f", "off", null, "not in split", Reason.DEFAULT, null, CHANGE_NUMBER, null));
    }

    @Test
    void evaluate_trafficGate_usesTrafficSeed() {
        EvaluationEngine engine = engine(withTraffic(flag("f", split(10_000)), 5000));
        for (String key : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            String expected = Bucketing.bucket(11, key) < 5000 ? "rule" : "not in split";
            assertThat(engine.evaluate("f", key, NONE, "d").label())
                    .as(key)
                    .isEqualTo(expected.equals("rule") ? "default rule" : "not in split");
        }
    }

    @Test
    void evaluate_trafficGate_doesNotApplyToFixedRules() {
        FlagConfig f = withTraffic(flag("f", off(), rule("dogfood", on(), cond("key", "IN", "u1"))), 0);
        assertThat(engine(f).evaluate("f", "u1", NONE, "d").label()).isEqualTo("rule:dogfood");
    }

    @Test
    void evaluate_bucketingKeyAttribute_overridesKeyForBucketing() {
        EvaluationEngine engine = engine(withTraffic(flag("f", split(5000)), 5000));
        Map<String, Object> account = Map.of("bucketingKey", "account-9");
        EvaluationResult first = engine.evaluate("f", "user-1", account, "d");
        for (int i = 2; i < 30; i++) {
            assertThat(engine.evaluate("f", "user-" + i, account, "d")).isEqualTo(first);
        }
        String expected = Bucketing.bucket(11, "account-9") >= 5000 ? "not in split" : "default rule";
        assertThat(first.label()).isEqualTo(expected);
    }

    @Test
    void evaluate_nullKeyWithSplit_isNotInSplit() {
        assertThat(engine(flag("f", split(10_000)))
                        .evaluate("f", null, null, "d")
                        .label())
                .isEqualTo("not in split");
    }

    @Test
    void evaluate_keyIsVisibleAsAttribute() {
        FlagConfig f = flag("f", off(), rule("r", on(), cond("key", "IN", "u1")));
        EvaluationEngine engine = engine(f);
        assertThat(engine.evaluate("f", "u1", NONE, "d").treatment()).isEqualTo("on");
        assertThat(engine.evaluate("f", "u1", Map.of("key", "other"), "d").treatment())
                .isEqualTo("off");
    }

    @Test
    void evaluate_nullKeyAndAttributes_doesNotThrow() {
        FlagConfig f = flag("f", off(), rule("r", on(), cond("key", "IN", "u1")));
        assertThat(engine(f).evaluate("f", null, null, "d").label()).isEqualTo("default rule");
    }

    @Test
    void evaluate_attributeWhoseToStringThrows_isGeneralError() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("boom");
            }
        };
        FlagConfig f = flag("f", off(), rule("r", on(), cond("country", "IN", "NO")));
        EvaluationResult r = engine(f).evaluate("f", "u1", Map.of("country", hostile), "d");
        assertThat(r.reason()).isEqualTo(Reason.ERROR);
        assertThat(r.errorCode()).isEqualTo(ErrorCode.GENERAL);
        assertThat(r.treatment()).isEqualTo("d");
        assertThat(r.config()).isNull();
    }

    @Test
    void evaluate_splitWeightsShortOf10000_isGeneralErrorForUncoveredBuckets() {
        FlagConfig f = flag("f", Serve.split(List.of(new Split("on", 0))));
        EvaluationResult r = engine(f).evaluate("f", "u1", NONE, "d");
        assertThat(r.errorCode()).isEqualTo(ErrorCode.GENERAL);
        assertThat(r.treatment()).isEqualTo("d");
    }

    @Test
    void evaluate_serveWithNeitherTreatmentNorSplit_isGeneralError() {
        EvaluationResult r = engine(flag("f", new Serve(null, null))).evaluate("f", "u1", NONE, "d");
        assertThat(r.errorCode()).isEqualTo(ErrorCode.GENERAL);
    }

    @Test
    void evaluate_unknownSegment_neverMatches() {
        FlagConfig f = flag("f", off(), rule("r", on(), cond("key", "IN_SEGMENT", "ghost")));
        assertThat(engine(f).evaluate("f", "u1", NONE, "d").treatment()).isEqualTo("off");
    }

    @Test
    void evaluate_treatmentConfig_isResolvedFromTreatments() {
        FlagConfig f = new FlagConfig(
                "f",
                List.of(new Treatment("on", null, List.of(1, 2))),
                true,
                false,
                "on",
                List.of(),
                Serve.fixed("on"),
                10_000,
                0,
                0,
                List.of(),
                1);
        assertThat(engine(f).evaluate("f", "u", NONE, "d").config()).isEqualTo(List.of(1, 2));
    }

    @Test
    void evaluate_mutableAttributeMap_isReadNotKept() {
        FlagConfig f = flag("f", off(), rule("r", on(), cond("country", "IN", "NO")));
        EvaluationEngine engine = engine(f);
        Map<String, Object> attributes = new HashMap<>(Map.of("country", "NO"));
        assertThat(engine.evaluate("f", "u", attributes, "d").treatment()).isEqualTo("on");
        attributes.put("country", "SE");
        assertThat(engine.evaluate("f", "u", attributes, "d").treatment()).isEqualTo("off");
    }

    @Test
    void accessors_describeTheSnapshot() {
        FlagConfig f = flag("f", on());
        EvaluationEngine engine = EvaluationEngine.compile(new Snapshot("staging", 9, List.of(f), List.of()));
        assertThat(engine.environment()).isEqualTo("staging");
        assertThat(engine.changeNumber()).isEqualTo(9);
        assertThat(engine.flagKeys()).containsExactly("f");
        assertThat(engine.flag("f")).contains(f);
        assertThat(engine.flag("nope")).isEmpty();
        assertThat(engine.flag(null)).isEmpty();
    }

    @Test
    void compile_equalValuesOfDifferentFlags_areKeptOnce() {
        // built separately, as a JSON parser would: equal but distinct instances
        FlagConfig a =
                flag("a", off(), rule(new String("r"), on(), cond(new String("country"), "IN", new String("NO"))));
        FlagConfig b =
                flag("b", off(), rule(new String("r"), on(), cond(new String("country"), "IN", new String("NO"))));
        EvaluationEngine engine = engine(a, b);
        FlagConfig keptA = engine.flag("a").orElseThrow();
        FlagConfig keptB = engine.flag("b").orElseThrow();
        assertThat(keptA).isEqualTo(a);
        assertThat(keptB).isEqualTo(b);
        assertThat(keptA.rules().get(0)).isSameAs(keptB.rules().get(0));
        assertThat(keptA.offTreatment()).isSameAs(keptB.offTreatment());
        assertThat(engine.evaluate("a", "u", Map.of("country", "NO"), "d").label())
                .isSameAs(
                        engine.evaluate("b", "u", Map.of("country", "NO"), "d").label());
        assertThat(engine.evaluate("b", "u", Map.of("country", "NO"), "d").treatment())
                .isEqualTo("on");
        assertThat(engine.evaluate("b", "u", Map.of("country", "SE"), "d").treatment())
                .isEqualTo("off");
    }

    @Test
    void compile_treatmentConfigs_areNotSharedBetweenFlags() {
        Map<String, Object> parsed = new java.util.LinkedHashMap<>(Map.of("variant", "b"));
        FlagConfig a = withConfig("a", parsed);
        FlagConfig b = withConfig("b", new java.util.LinkedHashMap<>(parsed));
        EvaluationEngine engine = engine(a, b);
        Object configA = engine.evaluate("a", "u", NONE, "d").config();
        Object configB = engine.evaluate("b", "u", NONE, "d").config();
        assertThat(configA).isEqualTo(parsed).isEqualTo(configB).isNotSameAs(configB);
        assertThat(engine.flag("a")).contains(a);
    }

    private static FlagConfig withConfig(String key, Object config) {
        return new FlagConfig(
                key,
                List.of(new Treatment("on", null, config)),
                true,
                false,
                "on",
                List.of(),
                Serve.fixed("on"),
                10_000,
                0,
                0,
                List.of(),
                1);
    }
}
