package dev.dimmer.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dimmer.sdk.eval.EvaluationEngine;
import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.SegmentDefinition;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import dev.dimmer.server.targeting.ConfigurationUpdate;
import dev.dimmer.server.targeting.ConfigurationView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How stages map onto a flag's configuration, evaluated with the SDK's own engine. */
class StagePlacementTests {

    private static final Rule NORDICS = new Rule(
            "nordics", List.of(new Condition("country", "IN", List.of("NO", "SE"), false, false)), Serve.fixed("off"));

    private static RolloutPlan plan(List<Stage> stages) {
        return new RolloutPlan(
                7,
                1,
                2,
                "shop",
                "production",
                "checkout",
                "payments",
                "on",
                "off",
                stages,
                BreachAction.ROLLBACK,
                false,
                PlanStatus.ACTIVE,
                0,
                Instant.EPOCH,
                Set.of(),
                false,
                null,
                1,
                "user:alice",
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private static Stage stage(List<String> segments, int weight) {
        return new Stage("s", segments, weight, Duration.ZERO, 0, false);
    }

    private static ConfigurationView view(ConfigurationUpdate u, long version) {
        return new ConfigurationView(
                "checkout",
                "production",
                u.enabled(),
                false,
                u.offTreatment(),
                u.rules(),
                u.defaultServe(),
                u.trafficAllocation(),
                u.seed(),
                u.trafficSeed(),
                u.prerequisites(),
                version,
                Instant.EPOCH);
    }

    private static ConfigurationView initial(List<Rule> rules) {
        return view(new ConfigurationUpdate(false, "off", rules, Serve.fixed("off"), 10_000, 42, 43, List.of()), 1);
    }

    private static Set<String> servedOn(ConfigurationView c, int keys) {
        FlagConfig flag = new FlagConfig(
                "checkout",
                List.of(new Treatment("on", null, null), new Treatment("off", null, null)),
                c.enabled(),
                c.killed(),
                c.offTreatment(),
                c.rules(),
                c.defaultServe(),
                c.trafficAllocation(),
                c.seed(),
                c.trafficSeed(),
                c.prerequisites(),
                c.version());
        EvaluationEngine engine = EvaluationEngine.compile(new Snapshot(
                "production",
                c.version(),
                List.of(flag),
                List.of(
                        new SegmentDefinition("dev-team", List.of("dev-1", "dev-2"), List.of()),
                        new SegmentDefinition("employees", List.of("emp-1", "emp-2", "emp-3"), List.of()))));
        Set<String> on = new HashSet<>();
        for (String key : keys(keys)) {
            if ("on"
                    .equals(engine.evaluate("checkout", key, Map.of(), "control")
                            .treatment())) {
                on.add(key);
            }
        }
        return on;
    }

    private static List<String> keys(int n) {
        List<String> keys = new java.util.ArrayList<>(List.of("dev-1", "dev-2", "emp-1", "emp-2", "emp-3"));
        for (int i = 0; i < n; i++) {
            keys.add("user-" + i);
        }
        return keys;
    }

    @Test
    void eachStageUpTo50PercentIsAnEvenRandomisationBehindTheTrafficGate() {
        RolloutPlan plan = plan(List.of(stage(List.of(), 100), stage(List.of(), 2500), stage(List.of(), 5000)));
        for (int stage = 0; stage < 3; stage++) {
            ConfigurationUpdate u = StagePlacement.apply(initial(List.of()), plan, stage);
            assertThat(u.defaultServe()).isEqualTo(Serve.split(List.of(new Split("on", 5000), new Split("off", 5000))));
            assertThat(u.trafficAllocation()).isEqualTo(2 * plan.stage(stage).weight());
        }
    }

    @Test
    void aRampOnlyAddsUsers_segmentsFirst_thenTheSplit_andEachStageServesItsShare() {
        RolloutPlan plan = plan(List.of(
                stage(List.of("dev-team"), 0),
                stage(List.of("employees"), 0),
                stage(List.of(), 100),
                stage(List.of(), 500),
                stage(List.of(), 2000),
                stage(List.of(), 5000),
                stage(List.of(), 10_000)));
        ConfigurationView c = initial(List.of(NORDICS));
        Set<String> previous = Set.of();
        int users = 20_000;
        for (int stage = 0; stage < plan.stages().size(); stage++) {
            c = view(StagePlacement.apply(c, plan, stage), c.version() + 1);
            Set<String> on = servedOn(c, users);
            assertThat(on)
                    .as("stage %d keeps everyone an earlier stage exposed", stage)
                    .containsAll(previous);
            assertThat(on).contains("dev-1", "dev-2");
            if (stage >= 1) {
                assertThat(on).contains("emp-1", "emp-2", "emp-3");
            }
            double share = on.stream().filter(k -> k.startsWith("user-")).count() / (double) users;
            assertThat(share)
                    .as("share of the split at stage %d", stage)
                    .isCloseTo(plan.stage(stage).weight() / 10_000.0, org.assertj.core.data.Offset.offset(0.01));
            assertThat(StagePlacement.divergence(c, plan, stage)).isEmpty();
            previous = on;
        }
        assertThat(c.rules()).extracting(Rule::id).containsExactly("rollout-plan", "nordics");
        assertThat(c.rules().get(0).conditions().get(0).values()).containsExactly("dev-team", "employees");
        assertThat(c.defaultServe()).isEqualTo(Serve.split(List.of(new Split("on", 10_000), new Split("off", 0))));
        assertThat(c.trafficAllocation()).isEqualTo(10_000);
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.trafficSeed()).isEqualTo(43);
    }

    @Test
    void aRollbackBeforeTheFirstStageExposesNobody_butKeepsOtherRules() {
        RolloutPlan plan = plan(List.of(stage(List.of("dev-team"), 500)));
        ConfigurationView atFirst = view(StagePlacement.apply(initial(List.of(NORDICS)), plan, 0), 2);
        ConfigurationView back = view(StagePlacement.apply(atFirst, plan, -1), 3);

        assertThat(back.rules()).containsExactly(NORDICS);
        assertThat(back.trafficAllocation()).isZero();
        assertThat(back.enabled()).isTrue();
        assertThat(servedOn(back, 2000)).isEmpty();
    }

    @Test
    void thePlanRuleStaysWhereAPersonMovedIt() {
        RolloutPlan plan = plan(List.of(stage(List.of("dev-team"), 0), stage(List.of("employees"), 0)));
        ConfigurationView first = view(StagePlacement.apply(initial(List.of(NORDICS)), plan, 0), 2);
        ConfigurationView moved = view(
                ConfigurationUpdate.of(first)
                        .withRules(List.of(NORDICS, first.rules().get(0))),
                3);

        ConfigurationView second = view(StagePlacement.apply(moved, plan, 1), 4);

        assertThat(second.rules()).extracting(Rule::id).containsExactly("nordics", "rollout-plan");
        assertThat(StagePlacement.divergence(moved, plan, 0))
                .as("moving the rule is not editing it")
                .isEmpty();
    }

    @Test
    void divergence_namesWhatAPersonChangedOfThePlansParts_andIgnoresTheRest() {
        RolloutPlan plan = plan(List.of(stage(List.of("dev-team"), 1000)));
        ConfigurationView applied = view(StagePlacement.apply(initial(List.of()), plan, 0), 2);

        ConfigurationView otherEdits = view(
                ConfigurationUpdate.of(applied)
                        .withRules(List.of(applied.rules().get(0), NORDICS)),
                3);
        assertThat(StagePlacement.divergence(otherEdits, plan, 0)).isEmpty();

        ConfigurationView allocation = view(ConfigurationUpdate.of(applied).withTrafficAllocation(5000), 3);
        assertThat(StagePlacement.divergence(allocation, plan, 0))
                .contains("trafficAllocation was changed (2000 → 5000)");

        ConfigurationView percentage = view(
                ConfigurationUpdate.of(applied)
                        .withDefaultServe(Serve.split(List.of(new Split("on", 3000), new Split("off", 7000)))),
                3);
        assertThat(StagePlacement.divergence(percentage, plan, 0)).contains("defaultServe was changed");

        ConfigurationView noRule = view(ConfigurationUpdate.of(applied).withRules(List.of()), 3);
        assertThat(StagePlacement.divergence(noRule, plan, 0)).contains("rule 'rollout-plan' was removed");

        ConfigurationView disabled = view(ConfigurationUpdate.of(applied).withEnabled(false), 3);
        assertThat(StagePlacement.divergence(disabled, plan, 0)).contains("the flag was disabled");
    }
}
