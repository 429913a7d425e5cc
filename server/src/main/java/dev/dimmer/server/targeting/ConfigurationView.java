package dev.dimmer.server.targeting;

import dev.dimmer.sdk.snapshot.Prerequisite;
import dev.dimmer.sdk.snapshot.Rule;
import dev.dimmer.sdk.snapshot.Serve;
import java.time.Instant;
import java.util.List;

/** A flag's configuration in one environment, as the admin API shows and accepts it. */
public record ConfigurationView(
        String flag,
        String environment,
        boolean enabled,
        boolean killed,
        String offTreatment,
        List<Rule> rules,
        Serve defaultServe,
        int trafficAllocation,
        int seed,
        int trafficSeed,
        List<Prerequisite> prerequisites,
        long version,
        Instant updatedAt) {}
