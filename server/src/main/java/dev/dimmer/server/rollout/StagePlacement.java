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
 * How a stage maps onto the flag's configuration. A plan owns exactly three parts of it and leaves everything else
 * (other rules and their order, the off treatment, traffic allocation, seeds, prerequisites) as people set it:
 *
 * <ul>
 *   <li><b>{@code enabled}</b>: true while the plan is in progress;
 *   <li><b>the rule with id {@value #RULE_ID}</b>: serves the treatment, as a fixed rule (not subject to the split or
 *       the traffic allocation), to the segments of this stage and of every earlier one, through one {@code IN_SEGMENT}
 *       condition on the key. Inserted first when absent; kept where it is when a person moved it; removed while no
 *       stage has named a segment;
 *   <li><b>{@code defaultServe}</b>: the two-way split {@code [treatment: w, control: 10000 − w]}, treatment first, or
 *       the control alone while w = 0.
 * </ul>
 *
 * <p>Because the treatment holds the buckets {@code [0, w)} of the flag's unchanged seed, raising w only adds users
 * to the treatment and never moves anyone else (DESIGN §3, monotonic ramp); segments only accumulate, so a later stage
 * never takes the treatment away from someone an earlier one gave it to. Only a rollback lowers w.
 */
final class StagePlacement {

    /** The id of the rule a plan owns. */
    static final String RULE_ID = "rollout-plan";

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
                .withDefaultServe(defaultServe(plan, stage));
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
        return differences.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", differences));
    }

    /** The treatment's weight in the default split at {@code stage}. */
    static int weight(RolloutPlan plan, int stage) {
        return stage < 0 ? 0 : plan.stage(stage).weight();
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
        int w = weight(plan, stage);
        if (w == 0) {
            return Serve.fixed(plan.control());
        }
        return Serve.split(List.of(new Split(plan.treatment(), w), new Split(plan.control(), 10_000 - w)));
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
