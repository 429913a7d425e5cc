package dev.dimmer.server.targeting;

import dev.dimmer.sdk.snapshot.FlagConfig;
import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import dev.dimmer.sdk.snapshot.Treatment;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Converts a stored configuration's JSON columns to and from the SDK's wire records. */
@Component
public class ConfigurationJson {

    private static final TypeReference<List<Rule>> RULES = new TypeReference<>() {};
    private static final TypeReference<List<Prerequisite>> PREREQUISITES = new TypeReference<>() {};

    private final JsonMapper json;

    ConfigurationJson(JsonMapper json) {
        this.json = json;
    }

    public List<Rule> rules(FlagConfiguration c) {
        return json.readValue(c.getRulesJson(), RULES);
    }

    public Serve defaultServe(FlagConfiguration c) {
        return json.readValue(c.getDefaultServeJson(), Serve.class);
    }

    public List<Prerequisite> prerequisites(FlagConfiguration c) {
        return json.readValue(c.getPrerequisitesJson(), PREREQUISITES);
    }

    String write(Object value) {
        return json.writeValueAsString(value);
    }

    /** The flag as an SDK evaluates it: definition (key, treatments) plus this environment's configuration. */
    public FlagConfig toWire(String flagKey, List<Treatment> treatments, FlagConfiguration c) {
        return new FlagConfig(
                flagKey,
                treatments,
                c.isEnabled(),
                c.isKilled(),
                c.getOffTreatment(),
                rules(c),
                defaultServe(c),
                c.getTrafficAllocation(),
                c.getSeed(),
                c.getTrafficSeed(),
                prerequisites(c),
                c.getVersion());
    }
}
