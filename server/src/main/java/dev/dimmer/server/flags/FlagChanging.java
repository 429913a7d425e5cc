package dev.dimmer.server.flags;

import java.util.Set;

/**
 * Published before a flag loses treatments or is archived, so features that reference it can
 * refuse the change (a listener throws a 400/409 {@code ApiException}) instead of leaving a
 * configuration that points at nothing.
 */
public record FlagChanging(
        long projectId, long flagId, String flagKey, Set<String> removedTreatments, boolean archiving) {}
