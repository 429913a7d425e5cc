package dev.dimmer.sdk.eval;

import dev.dimmer.sdk.snapshot.Condition;
import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.SegmentDefinition;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Snapshot;
import dev.dimmer.sdk.snapshot.Split;
import dev.dimmer.sdk.snapshot.Treatment;
import java.util.List;

/** Small builders for flag configurations in tests. */
final class Fixtures {

    static final long CHANGE_NUMBER = 42;

    private Fixtures() {}

    static List<Treatment> onOff() {
        return List.of(new Treatment("on", null, java.util.Map.of("color", "blue")), new Treatment("off", null, null));
    }

    /** An enabled flag with treatments on/off, off treatment "off", the given rules and default. */
    static FlagConfig flag(String key, Serve defaultServe, Rule... rules) {
        return new FlagConfig(
                key, onOff(), true, false, "off", List.of(rules), defaultServe, 10_000, 7, 11, List.of(), 1);
    }

    static FlagConfig withPrerequisites(FlagConfig f, Prerequisite... prerequisites) {
        return new FlagConfig(
                f.key(),
                f.treatments(),
                f.enabled(),
                f.killed(),
                f.offTreatment(),
                f.rules(),
                f.defaultServe(),
                f.trafficAllocation(),
                f.seed(),
                f.trafficSeed(),
                List.of(prerequisites),
                f.version());
    }

    static FlagConfig withTraffic(FlagConfig f, int trafficAllocation) {
        return new FlagConfig(
                f.key(),
                f.treatments(),
                f.enabled(),
                f.killed(),
                f.offTreatment(),
                f.rules(),
                f.defaultServe(),
                trafficAllocation,
                f.seed(),
                f.trafficSeed(),
                f.prerequisites(),
                f.version());
    }

    static FlagConfig withState(FlagConfig f, boolean enabled, boolean killed) {
        return new FlagConfig(
                f.key(),
                f.treatments(),
                enabled,
                killed,
                f.offTreatment(),
                f.rules(),
                f.defaultServe(),
                f.trafficAllocation(),
                f.seed(),
                f.trafficSeed(),
                f.prerequisites(),
                f.version());
    }

    static Rule rule(String id, Serve serve, Condition... conditions) {
        return new Rule(id, List.of(conditions), serve);
    }

    static Condition cond(String attribute, String operator, String... values) {
        return new Condition(attribute, operator, List.of(values), false, false);
    }

    static Condition not(Condition c) {
        return new Condition(c.attribute(), c.operator(), c.values(), !c.negate(), c.caseInsensitive());
    }

    static Condition ignoringCase(Condition c) {
        return new Condition(c.attribute(), c.operator(), c.values(), c.negate(), true);
    }

    static Serve on() {
        return Serve.fixed("on");
    }

    static Serve off() {
        return Serve.fixed("off");
    }

    static Serve split(int onWeight) {
        return Serve.split(List.of(new Split("on", onWeight), new Split("off", 10_000 - onWeight)));
    }

    static EvaluationEngine engine(List<SegmentDefinition> segments, FlagConfig... flags) {
        return EvaluationEngine.compile(new Snapshot("production", CHANGE_NUMBER, List.of(flags), segments));
    }

    static EvaluationEngine engine(FlagConfig... flags) {
        return engine(List.of(), flags);
    }
}
