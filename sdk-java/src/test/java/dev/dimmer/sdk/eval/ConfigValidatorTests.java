package dev.dimmer.sdk.eval;

import static dev.dimmer.sdk.eval.Fixtures.cond;
import static dev.dimmer.sdk.eval.Fixtures.flag;
import static dev.dimmer.sdk.eval.Fixtures.on;
import static dev.dimmer.sdk.eval.Fixtures.rule;
import static dev.dimmer.sdk.eval.Fixtures.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Split;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigValidatorTests {

    private static List<String> pointers(FlagConfig config) {
        return ConfigValidator.validate(config, Set.of("staff")).stream()
                .map(Violation::pointer)
                .toList();
    }

    @Test
    void validate_validFlag_hasNoViolations() {
        FlagConfig config = flag(
                "f",
                split(1000),
                rule("r1", on(), cond("country", "IN", "NO"), cond("key", "IN_SEGMENT", "staff")),
                rule(
                        "r2",
                        split(5000),
                        cond("v", "SEMVER_GTE", "1.2.0"),
                        cond("ip", "IN_CIDR", "10.0.0.0/8"),
                        cond("t", "AFTER", "2024-01-01T00:00:00Z"),
                        cond("n", "LT", "3.5"),
                        cond("ua", "MATCHES", "^Chrome"),
                        cond("beta", "IS_TRUE")));
        assertThat(ConfigValidator.validate(config, Set.of("staff"))).isEmpty();
    }

    @Test
    void validate_unknownTreatments_areReportedWherever() {
        FlagConfig config = new FlagConfig(
                "f",
                Fixtures.onOff(),
                true,
                false,
                "gone",
                List.of(rule("r", Serve.fixed("nope"))),
                Serve.split(List.of(new Split("on", 5000), new Split("ghost", 5000))),
                10_000,
                0,
                0,
                List.of(),
                1);
        assertThat(pointers(config))
                .containsExactlyInAnyOrder(
                        "/offTreatment", "/rules/0/serve/treatment", "/defaultServe/split/1/treatment");
    }

    @Test
    void validate_splitWeights_mustEachBeBasisPointsAndSumTo10000() {
        FlagConfig config = flag("f", Serve.split(List.of(new Split("on", -5), new Split("off", 10_001))));
        assertThat(pointers(config))
                .containsExactlyInAnyOrder(
                        "/defaultServe/split/0/weight", "/defaultServe/split/1/weight", "/defaultServe/split");
        FlagConfig shortSum = flag("f", Serve.split(List.of(new Split("on", 5000), new Split("off", 4000))));
        assertThat(pointers(shortSum)).containsExactly("/defaultServe/split");
    }

    @Test
    void validate_serveNeedsExactlyOneOfTreatmentAndSplit() {
        FlagConfig both = flag("f", new Serve("on", List.of(new Split("on", 10_000))));
        FlagConfig neither = flag("f", new Serve(null, null), new Rule("r", List.of(), null));
        assertThat(pointers(both)).containsExactly("/defaultServe");
        assertThat(pointers(neither)).containsExactlyInAnyOrder("/rules/0/serve", "/defaultServe");
    }

    @Test
    void validate_trafficAllocationOutOfRange() {
        assertThat(pointers(Fixtures.withTraffic(flag("f", on()), 10_001))).containsExactly("/trafficAllocation");
        assertThat(pointers(Fixtures.withTraffic(flag("f", on()), -1))).containsExactly("/trafficAllocation");
    }

    @Test
    void validate_ruleIds_missingOrDuplicate() {
        FlagConfig config = flag("f", on(), rule("a", on()), rule("a", on()), rule(null, on()), rule(" ", on()));
        assertThat(pointers(config)).containsExactly("/rules/1/id", "/rules/2/id", "/rules/3/id");
    }

    @Test
    void validate_conditions_reportsEveryProblemWithItsPointer() {
        FlagConfig config = flag(
                "f",
                on(),
                rule(
                        "r",
                        on(),
                        cond("a", "LOOKS_LIKE", "x"),
                        cond("n", "GT", "ten", "5"),
                        cond("v", "SEMVER_EQ", "v1.0"),
                        cond("t", "BEFORE", "tomorrow"),
                        cond("ip", "IN_CIDR", "10.0.0.0/33"),
                        cond("ua", "MATCHES", "(?=look)ahead"),
                        cond("key", "IN_SEGMENT", "staff", "ghosts"),
                        cond("country", "IN"),
                        cond(null, "IN", "x")));
        assertThat(pointers(config))
                .containsExactly(
                        "/rules/0/conditions/0/operator",
                        "/rules/0/conditions/1/values/0",
                        "/rules/0/conditions/2/values/0",
                        "/rules/0/conditions/3/values/0",
                        "/rules/0/conditions/4/values/0",
                        "/rules/0/conditions/5/values/0",
                        "/rules/0/conditions/6/values/1",
                        "/rules/0/conditions/7/values",
                        "/rules/0/conditions/8/attribute");
    }

    @Test
    void validate_messagesSayWhatIsExpected() {
        FlagConfig config = flag("f", on(), rule("r", on(), cond("n", "GT", "ten")));
        assertThat(ConfigValidator.validate(config, Set.of()))
                .containsExactly(new Violation("/rules/0/conditions/0/values/0", "'ten' is not a number"));
    }

    @Test
    void validate_prerequisitesNeedFlagAndTreatments() {
        FlagConfig config = Fixtures.withPrerequisites(
                flag("f", on()), new Prerequisite(null, List.of("on")), new Prerequisite("p", List.of()));
        assertThat(pointers(config)).containsExactly("/prerequisites/0/flag", "/prerequisites/1/treatments");
    }

    @Test
    void validateConditions_prefixesPointersForSegments() {
        List<Violation> violations = ConfigValidator.validateConditions(
                List.of(cond("country", "IN", "NO"), cond("n", "LT", "x")), "/conditions", Set.of());
        assertThat(violations).extracting(Violation::pointer).containsExactly("/conditions/1/values/0");
    }

    @Test
    void validate_explodingPattern_isRefusedBeforeCompiling() {
        FlagConfig config = flag(
                "f", on(), rule("r", on(), cond("ua", "MATCHES", "((a{1000}){1000}){1000}", "(a{1000}){100}", "^ok$")));
        List<Violation> violations = ConfigValidator.validate(config, Set.of());
        assertThat(violations)
                .extracting(Violation::pointer)
                .containsExactly("/rules/0/conditions/0/values/0", "/rules/0/conditions/0/values/1");
        assertThat(violations.get(0).message()).contains("too complex");
    }

    @Test
    void validate_overLimits_namesEachList() {
        ConfigLimits tight = new ConfigLimits(1, 1, 2, 5, 4, 100, 2, 1);
        FlagConfig tooManyRules = flag("f", on(), rule("a", on()), rule("b", on()));
        assertThat(ConfigValidator.validate(tooManyRules, Set.of(), tight))
                .extracting(Violation::pointer)
                .containsExactly("/rules");
        FlagConfig crowded = flag("f", on(), rule("a", on(), cond("x", "IN", "1", "2", "3"), cond("y", "IN", "1")));
        assertThat(ConfigValidator.validate(crowded, Set.of(), tight))
                .extracting(Violation::pointer)
                .containsExactly("/rules/0/conditions");
        FlagConfig longValues = flag("f", on(), rule("a", on(), cond("x", "IN", "123456")));
        assertThat(ConfigValidator.validate(longValues, Set.of(), tight))
                .extracting(Violation::pointer)
                .containsExactly("/rules/0/conditions/0/values/0");
        FlagConfig manyValues = flag("f", on(), rule("a", on(), cond("x", "IN", "1", "2", "3")));
        assertThat(ConfigValidator.validate(manyValues, Set.of(), tight))
                .extracting(Violation::pointer)
                .containsExactly("/rules/0/conditions/0/values");
        FlagConfig longPattern = flag("f", on(), rule("a", on(), cond("x", "MATCHES", "abcde")));
        assertThat(ConfigValidator.validate(longPattern, Set.of(), tight))
                .extracting(Violation::pointer)
                .containsExactly("/rules/0/conditions/0/values/0");
        FlagConfig threeTreatments = new FlagConfig(
                "f",
                List.of(
                        new dev.dimmer.sdk.snapshot.Treatment("a", null, null),
                        new dev.dimmer.sdk.snapshot.Treatment("b", null, null),
                        new dev.dimmer.sdk.snapshot.Treatment("c", null, null)),
                true,
                false,
                "a",
                List.of(),
                Serve.fixed("a"),
                10_000,
                0,
                0,
                List.of(),
                1);
        assertThat(ConfigValidator.validate(threeTreatments, Set.of(), tight))
                .extracting(Violation::pointer)
                .containsExactly("/treatments");
    }

    @Test
    void checkLimits_manyPatterns_shareOneBudget() {
        ConfigLimits limits = new ConfigLimits(200, 50, 1000, 1000, 1000, 100, 50, 20);
        String pattern = "a{90}"; // 92 instructions: each fits, 60 of them do not (budget 50 x 100)
        List<Rule> rules = java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> rule("r" + i, on(), cond("ua", "MATCHES", pattern)))
                .toList();
        assertThat(ConfigValidator.checkLimits(rules, limits))
                .extracting(Violation::pointer)
                .containsExactly("/rules/54/conditions/0/values/0");
    }
}
