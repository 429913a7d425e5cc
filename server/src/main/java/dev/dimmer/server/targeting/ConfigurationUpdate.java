package dev.dimmer.server.targeting;

import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import java.util.List;

/**
 * The body of {@code PUT …/environments/{e}/flags/{f}}: the whole configuration. {@code killed} is
 * not part of it (kill and restore are their own audited actions); {@code seed} and
 * {@code trafficSeed} keep their values when omitted, because changing them reshuffles every user.
 */
public record ConfigurationUpdate(
        Boolean enabled,
        String offTreatment,
        List<Rule> rules,
        Serve defaultServe,
        Integer trafficAllocation,
        Integer seed,
        Integer trafficSeed,
        List<Prerequisite> prerequisites) {

    /** The configuration as it is now, to change one part of it (automation edits this way). */
    public static ConfigurationUpdate of(ConfigurationView current) {
        return new ConfigurationUpdate(
                current.enabled(),
                current.offTreatment(),
                current.rules(),
                current.defaultServe(),
                current.trafficAllocation(),
                current.seed(),
                current.trafficSeed(),
                current.prerequisites());
    }

    public ConfigurationUpdate withEnabled(boolean value) {
        return new ConfigurationUpdate(
                value, offTreatment, rules, defaultServe, trafficAllocation, seed, trafficSeed, prerequisites);
    }

    public ConfigurationUpdate withRules(List<Rule> value) {
        return new ConfigurationUpdate(
                enabled, offTreatment, value, defaultServe, trafficAllocation, seed, trafficSeed, prerequisites);
    }

    public ConfigurationUpdate withTrafficAllocation(int value) {
        return new ConfigurationUpdate(
                enabled, offTreatment, rules, defaultServe, value, seed, trafficSeed, prerequisites);
    }

    public ConfigurationUpdate withDefaultServe(Serve value) {
        return new ConfigurationUpdate(
                enabled, offTreatment, rules, value, trafficAllocation, seed, trafficSeed, prerequisites);
    }
}
