package dev.dimmer.server.rollout;

import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.server.targeting.ConfigurationUpdate;
import dev.dimmer.server.targeting.ConfigurationView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a stage maps onto the flag's configuration. A plan owns exactly four parts of it and leaves everything else
 * (other rules and their order, the off treatment, the seeds, prerequisites) as people set it:
 *
 * <ul>
 *   <li><b>{@code enabled}</b>: true while the plan is in progress;
 *   <li><b>the rule with id {@value #RULE_ID}</b>: serves the treatment, as a fixed rule (outside the split and its
 *       traffic gate), to the segments of this stage and of every earlier one, through one {@code IN_SEGMENT}
 *       condition on the key. Inserted first when absent; kept where it is when a person moved it; absent while no
 *       stage has named a segment;
 *   <li><b>{@code defaultServe}</b>: the even split {@code [treatment: 5000, control: 5000]}, treatment first, until the
 *       last stage at 100 %, which serves {@code [treatment: 10000, control: 0]};
 *   <li><b>{@code trafficAllocation}</b>: twice the stage's weight w (w ≤ 50 %), so that w of all users get the
 *       treatment and as many, randomised with them, the control; the rest get the off treatment ("not in split") and
 *       are not part of the comparison. 100 % at the last stage.
 * </ul>
 *
 * <p><b>Why the allocation moves and the split stays even.</b> The analysis assigns a user to the arm of their first
 * exposure and checks the arms' sizes against the split's weights (SRM). Ramping the split's weights instead (1/99,
 * then 5/95, …) mixes users randomised under different weights in one report, which the SRM test rightly flags as a
 * mismatch, and compares a treatment arm of recent users with a control arm of older ones. An even split behind a
 * growing traffic gate keeps every stage up to 50 % one randomisation, as GrowthBook's safe rollouts do; at 100 % there
 * is no control left to compare with, so the plan completes as it applies that stage.
 *
 * <p><b>Monotonic.</b> The treatment holds the split buckets {@code [0, 5000)} of the unchanged seed behind the traffic
 * gate {@code bucket(trafficSeed) < allocation}: raising the allocation, then the treatment's weight to 10000, only adds
 * users to the treatment and never takes it from anyone (DESIGN §3); segments only accumulate. Only a rollback lowers
 * the allocation.
 */
final class StagePlacement {

    /** The id of the rule a plan owns. */
    static final String RULE_ID = "rollout-plan";

    /** The highest weight below 100 %: half the users in the treatment, half in the control. */
    static final int MAX_RANDOMISED_WEIGHT = 5000;

    static final int EVERYONE = 10_000;

    private StagePlacement() {}

    /** The configuration {@code current} becomes at {@code stage} (-1: nobody exposed by the plan). */
    static ConfigurationUpdate apply(ConfigurationView current, RolloutPlan plan, int stage) {
        Rule rule = rule(plan, stage);
        List<Rule> rules = new ArrayList<>(current.rules());
        int at = indexOfPlanRule(rules);
        if (at >= 0 && rule != null) {
            rules.set(at, rule);
        } else if (at >= 0) {
            rules.remove(at);
        } else if (rule != null) {
            rules.add(0, rule);
        }
        return ConfigurationUpdate.of(current)
                .withEnabled(true)
                .withRules(rules)
                .withDefaultServe(defaultServe(plan, stage))
                .withTrafficAllocation(allocation(plan, stage));
    }

    /**
     * What differs between {@code current} and what the plan set for {@code stage}, in words, or empty when the parts
     * the plan owns are as it left them (changes to anything else are fine).
     */
    static Optional<String> divergence(ConfigurationView current, RolloutPlan plan, int stage) {
        List<String> differences = new ArrayList<>();
        if (!current.enabled()) {
            differences.add("the flag was disabled");
        }
        int at = indexOfPlanRule(current.rules());
        Rule expected = rule(plan, stage);
        Rule actual = at < 0 ? null : current.rules().get(at);
        if (!Objects.equals(expected, actual)) {
            differences.add(
                    actual == null
                            ? "rule '" + RULE_ID + "' was removed"
                            : expected == null
                                    ? "rule '" + RULE_ID + "' was added"
                                    : "rule '" + RULE_ID + "' was changed");
        }
        if (!Objects.equals(defaultServe(plan, stage), current.defaultServe())) {
            differences.add("defaultServe was changed");
        }
        if (allocation(plan, stage) != current.trafficAllocation()) {
            differences.add("trafficAllocation was changed (" + allocation(plan, stage) + " → "
                    + current.trafficAllocation() + ")");
        }
        return differences.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", differences));
    }

    /** The share of users (basis points) served the treatment by the split at {@code stage}. */
    static int weight(RolloutPlan plan, int stage) {
        return stage < 0 ? 0 : plan.stage(stage).weight();
    }

    /** Whether {@code stage} serves the treatment to everyone: nothing is left to compare, the plan is complete. */
    static boolean shipsToEveryone(RolloutPlan plan, int stage) {
        return weight(plan, stage) == EVERYONE;
    }

    /** The segments served by the plan's rule at {@code stage}: its own and every earlier stage's, in order. */
    static List<String> segments(RolloutPlan plan, int stage) {
        Set<String> all = new LinkedHashSet<>();
        for (int i = 0; i <= stage; i++) {
            all.addAll(plan.stage(i).segments());
        }
        return List.copyOf(all);
    }

    private static Rule rule(RolloutPlan plan, int stage) {
        List<String> segments = segments(plan, stage);
        if (segments.isEmpty()) {
            return null;
        }
        return new Rule(
                RULE_ID,
                List.of(new Condition("key", "IN_SEGMENT", segments, false, false)),
                Serve.fixed(plan.treatment()));
    }

    private static Serve defaultServe(RolloutPlan plan, int stage) {
        int treatment = shipsToEveryone(plan, stage) ? EVERYONE : MAX_RANDOMISED_WEIGHT;
        return Serve.split(
                List.of(new Split(plan.treatment(), treatment), new Split(plan.control(), EVERYONE - treatment)));
    }

    private static int allocation(RolloutPlan plan, int stage) {
        int w = weight(plan, stage);
        return w == EVERYONE ? EVERYONE : 2 * w;
    }

    private static int indexOfPlanRule(List<Rule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            if (RULE_ID.equals(rules.get(i).id())) {
                return i;
            }
        }
        return -1;
    }
}
