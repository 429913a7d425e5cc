package dev.dimmer.server.flags;

import java.util.List;

/**
 * Published inside the creating transaction so the flag gets a configuration in every
 * environment. {@code seed}/{@code trafficSeed} are null unless the caller supplied them (a flag
 * migrated from elsewhere keeps its users' buckets).
 */
public record FlagCreated(
        long projectId,
        long flagId,
        String flagKey,
        List<String> treatmentNames,
        String offTreatment,
        Integer seed,
        Integer trafficSeed) {}
