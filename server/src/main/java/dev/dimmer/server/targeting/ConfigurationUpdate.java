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
        List<Prerequisite> prerequisites) {}
